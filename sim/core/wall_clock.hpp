// The wall clock, behind an interface so that tests can substitute a manual one.
//
// Only sim/core reads real time: the EventLoop asks its WallClock while a real
// process is runnable and otherwise lets virtual time jump. A WallClock belongs
// to the thread that runs its EventLoop.
#pragma once

#include "sim/core/time.hpp"

namespace ptsim {

class WallClock {
 public:
  virtual ~WallClock() = default;
  // Monotonic nanoseconds from an arbitrary origin.
  virtual Duration Now() const = 0;
};

// The real adapter: std::chrono::steady_clock.
class SteadyWallClock final : public WallClock {
 public:
  Duration Now() const override;
};

// A wall clock that moves only when told to (seastar manual_clock, as an instance).
class ManualWallClock final : public WallClock {
 public:
  Duration Now() const override { return now_; }
  void Advance(Duration d) { now_ += d; }

 private:
  Duration now_{0};
};

// CPU time consumed by this process so far (user + system), for benchmarks and
// the run summary.
Duration ProcessCpuTime();

}  // namespace ptsim
