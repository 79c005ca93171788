// The trace of a run: one entry per thing that happened, with its virtual time,
// the actor that did it, and a one-line description.
//
// Two runs of the same scripted scenario with the same seed produce identical
// traces; that is how determinism is checked. Entries are appended by actors on
// the loop thread; observers (the live timeline, log-line triggers) may be
// subscribed to see each entry as it is added.
#pragma once

#include <fmt/format.h>
#include <cstdint>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace ptsim {

struct TraceEntry {
  Time time;
  std::string_view actor;  // a string literal or otherwise static name
  std::string text;
};

class Trace {
 public:
  using Observer = std::function<void(const TraceEntry&)>;

  void Record(Time time, std::string_view actor, std::string text);
  // Formats and records only when someone will see the entry (kept or observed).
  template <typename... Args>
  void Recordf(Time time, std::string_view actor, fmt::format_string<Args...> format,
               Args&&... args) {
    if (active()) Record(time, actor, fmt::format(format, std::forward<Args>(args)...));
  }
  bool active() const { return keep_ || !observers_.empty(); }
  const std::vector<TraceEntry>& entries() const { return entries_; }
  // When false, entries are passed to observers but not kept (scale runs).
  void set_keep(bool keep) { keep_ = keep; }
  void Subscribe(Observer observer) { observers_.push_back(std::move(observer)); }

  // One line per entry: "<time> <actor> <text>".
  std::string Render() const;
  // A 64-bit FNV-1a digest of Render(), cheap to compare across runs.
  std::uint64_t Digest() const;

 private:
  std::vector<TraceEntry> entries_;
  std::vector<Observer> observers_;
  bool keep_ = true;
};

}  // namespace ptsim
