// Virtual time for ptsim: nanoseconds since the run began.
//
// Every actor reads time from the EventLoop, never from a real clock; virtual
// time follows the wall clock only while a real process is runnable (see
// event_loop.hpp). Values are plain data and may be used from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ptsim {

using Duration = std::chrono::nanoseconds;

// The epoch of a VirtualClock is the start of the run. It has no now(): the
// current virtual time belongs to an EventLoop instance.
struct VirtualClock {
  using duration = Duration;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<VirtualClock, Duration>;
  static constexpr bool is_steady = true;
};

using Time = VirtualClock::time_point;

inline constexpr Time kRunStart{};
inline constexpr Time kNever = Time::max();

constexpr Duration Seconds(double s) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}
constexpr Duration Millis(std::int64_t ms) { return std::chrono::milliseconds(ms); }

// Seconds since the run began, as reports print them.
inline double ToSeconds(Time t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}
inline double ToSeconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// "12.5s", "3m20s", "1h2m3s": the shortest human form, at most millisecond precision.
std::string FormatDuration(Duration d);
// "+12.500s": a fixed-width virtual timestamp for timelines and traces.
std::string FormatTimestamp(Time t);

}  // namespace ptsim
