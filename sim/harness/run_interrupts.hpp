// What Ctrl-C (SIGINT, SIGTERM, SIGHUP) does to a run (run.hpp). The first
// interrupt says so on the status stream, notes it, aborts the Flyte driver,
// deletes every job (so that no controller recreates what goes) and then
// every pod, gracefully; the run may end once no pod is left or after
// kInterruptGrace of wall time. A second interrupt kills every process at once
// and stops the loop. The loop notices an interrupt between any two callbacks
// (event_loop.hpp), so a busy scripted run stops as promptly as an idle one.
// Loop thread only. REQUIRES: the RunWorld outlives this handler.
#pragma once

#include "sim/harness/run_world.hpp"

namespace ptsim {

// How long (wall clock) pods may take to go after an interrupt before every
// process left is killed: the run ends within about a second of Ctrl-C.
inline constexpr Duration kInterruptGrace = std::chrono::milliseconds(800);

class RunInterrupts {
 public:
  explicit RunInterrupts(RunWorld& world) : world_(world) {}
  RunInterrupts(const RunInterrupts&) = delete;
  RunInterrupts& operator=(const RunInterrupts&) = delete;

  // Handles the interrupts the loop sees from now on (EventLoop::WatchInterrupts).
  void Watch();
  void OnInterrupt(int signal);

  bool interrupted() const { return count_ > 0; }
  int first_signal() const { return first_signal_; }  // 0 when none
  // After an interrupt: whether the run may end now (no pod left, or the
  // grace is over).
  bool MayEnd();

 private:
  void DeleteEverything(int signal);

  RunWorld& world_;
  int count_ = 0;
  int first_signal_ = 0;
  Duration interrupted_at_{0};
};

}  // namespace ptsim
