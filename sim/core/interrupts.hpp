// Catches SIGINT, SIGTERM and SIGHUP for the whole process and counts them, so
// that any thread can see "an interrupt arrived" with one atomic load, and
// every EventLoop waiting on the world is woken at once.
//
// A POSIX signal handler can reach nothing but static storage, so the count,
// the last signal and the wake-up descriptors are the one process-wide state
// of ptsim; the handler only does async-signal-safe work (atomic stores,
// write(2) to registered eventfds). An InterruptCatcher installs the handler
// for its lifetime and restores the previous dispositions when destroyed. The
// third interrupt is not caught: ptsim then dies by that signal.
// REQUIRES: at most one InterruptCatcher alive at a time (owned by main).
#pragma once

#include <cstdint>

namespace ptsim {

class InterruptCatcher {
 public:
  InterruptCatcher();
  ~InterruptCatcher();
  InterruptCatcher(const InterruptCatcher&) = delete;
  InterruptCatcher& operator=(const InterruptCatcher&) = delete;

  // How many interrupts arrived since the process started (0 when none, or
  // when no catcher was ever installed). Cheap: one relaxed atomic load.
  static std::uint64_t Count();
  // The last signal caught (0 when none).
  static int LastSignal();
  // True while an InterruptCatcher is installed.
  static bool Installed();

  // Registers a descriptor the handler writes 8 bytes to (an eventfd) on every
  // interrupt; returns false when all slots are taken. Thread-safe.
  static bool AddWakeFd(int fd);
  static void RemoveWakeFd(int fd);

  // While on, an interrupt ends the process at once from the handler, with
  // "ptsim: interrupted (<signal>) before anything ran" on stderr and status
  // 128 + the signal: for phases that have nothing to clean up and may block
  // in a system call the handler would otherwise restart (reading a FIFO
  // nobody writes to, a slow input). REQUIRES: no child process, no file being
  // written while on.
  static void SetExitOnInterrupt(bool on);
};

// The exit status a shell reports for a process killed by `signal` (128+n:
// 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
inline int InterruptedExitStatus(int signal) {
  return 128 + signal;
}

}  // namespace ptsim
