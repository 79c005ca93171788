// core/v1 Events as the API server keeps them, with client-go's aggregation:
// an event for the same object, type, reason and message as an earlier one
// bumps that one's count and lastTimestamp instead of adding a new entry.
// Observers see every recorded occurrence (aggregated or not) synchronously.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "sim/core/event_loop.hpp"
#include "sim/model/event.hpp"

namespace ptsim {

class EventStore {
 public:
  using Observer = std::function<void(const Event&)>;

  explicit EventStore(EventLoop& loop) : loop_(loop) {}

  void Record(const ObjectReference& object, const std::string& type, const std::string& reason,
              const std::string& message, const std::string& source);
  const std::vector<Event>& list() const { return events_; }
  void Subscribe(Observer observer) { observers_.push_back(std::move(observer)); }
  // When false, events reach observers but are not stored (scale runs).
  void set_keep(bool keep) { keep_ = keep; }

 private:
  EventLoop& loop_;
  std::vector<Event> events_;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::size_t> index_;
  std::vector<Observer> observers_;
  bool keep_ = true;
};

}  // namespace ptsim
