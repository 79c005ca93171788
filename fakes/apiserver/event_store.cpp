#include "fakes/apiserver/event_store.hpp"

namespace ptsim {

void EventStore::Record(const ObjectReference& object, const std::string& type,
                        const std::string& reason, const std::string& message,
                        const std::string& source) {
  const Time now = loop_.Now();
  Event event{object, type, reason, message, source, 1, now, now};
  for (const auto& observer : observers_)
    observer(event);
  if (!keep_) return;
  auto key = std::make_tuple(object.uid + "/" + object.field_path, type, reason, message);
  if (auto it = index_.find(key); it != index_.end()) {
    Event& existing = events_[it->second];
    ++existing.count;
    existing.last_timestamp = now;
    return;
  }
  index_.emplace(std::move(key), events_.size());
  events_.push_back(std::move(event));
}

}  // namespace ptsim
