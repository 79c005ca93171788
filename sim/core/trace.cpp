#include "sim/core/trace.hpp"

#include <fmt/format.h>

namespace ptsim {

void Trace::Record(Time time, std::string_view actor, std::string text) {
  TraceEntry entry{time, actor, std::move(text)};
  for (const auto& observer : observers_) observer(entry);
  if (keep_) entries_.push_back(std::move(entry));
}

std::string Trace::Render() const {
  std::string out;
  for (const auto& e : entries_) {
    fmt::format_to(std::back_inserter(out), "{} {} {}\n", FormatTimestamp(e.time), e.actor, e.text);
  }
  return out;
}

std::uint64_t Trace::Digest() const {
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ull;
    }
  };
  for (const auto& e : entries_) {
    mix(fmt::format("{}", e.time.time_since_epoch().count()));
    mix(e.actor);
    mix(e.text);
    mix("\n");
  }
  return h;
}

}  // namespace ptsim
