#include "fakes/kubelet/crash_loop_backoff.hpp"

#include <catch2/catch.hpp>
#include <vector>

namespace ptsim {
namespace {

// Simulates a container that crashes `run` seconds after each start and
// returns the delays between each exit and the restart that followed.
std::vector<double> Delays(int crashes, double run) {
  CrashLoopBackoff backoff;
  std::vector<double> delays;
  Time now = kRunStart;
  for (int i = 0; i < crashes; ++i) {
    now += Seconds(run);  // runs, then exits
    const Time finished = now;
    const Time restart = backoff.RestartAt(finished, now);
    delays.push_back(ToSeconds(restart - finished));
    now = restart;
    backoff.Next(finished, now);
  }
  return delays;
}

TEST_CASE("the first restart is immediate and later ones back off 10s doubling to 300s") {
  CHECK(Delays(9, 1) == std::vector<double>{0, 10, 20, 40, 80, 160, 300, 300, 300});
}

TEST_CASE("ten minutes of clean running resets the back-off") {
  CrashLoopBackoff backoff;
  Time now = kRunStart;
  // Crash 3 times quickly: delays 0, 10, 20; the next window is 40s.
  for (int i = 0; i < 3; ++i) {
    now += Seconds(1);
    const Time finished = now;
    now = backoff.RestartAt(finished, now);
    backoff.Next(finished, now);
  }
  CHECK(backoff.current() == Seconds(40));
  // Then run for 601 seconds before crashing: restart at once, window back to 10s.
  now += Seconds(601);
  CHECK(backoff.RestartAt(now, now) == now);
  backoff.Next(now, now);
  CHECK(backoff.current() == Seconds(10));
  // Exactly 600 seconds is not enough (hasExpired uses a strict comparison).
  now += Seconds(1);
  backoff.Next(now, now);
  now += Seconds(600);
  CHECK(backoff.RestartAt(now, now) == now + Seconds(20));
}

}  // namespace
}  // namespace ptsim
