// The descendants of a process, found through the parent links in /proc, and
// their end. Used by the container shim (fakes/process/container_shim_main.cpp)
// to end every process a container started, however it detached itself
// (setsid, double fork, `env -i`). Linux only; tolerates processes appearing
// and vanishing while it reads. Any thread; no state.
#pragma once

#include <vector>

#include "fakes/process/proc_scan.hpp"

namespace ptsim {

// Every process in `procs` below `root` (children, grandchildren, ...), root excluded.
std::vector<int> Descendants(int root, const std::vector<ProcInfo>& procs);

// SIGKILLs every descendant of the calling process and reaps them, until none is
// left (or, for one that cannot be killed, for some seconds). REQUIRES: the caller is a child
// subreaper (PR_SET_CHILD_SUBREAPER), so that a killed process's children become its children and
// are found again; `on_reaped(pid, wait_status)` is called for each child it reaps. Returns the
// number of processes it killed.
template <class OnReaped>
int KillAndReapDescendants(OnReaped on_reaped);

// The same without a callback, for callers that need no statuses.
int KillAndReapDescendants();

// One round: kills the descendants found now; returns how many.
int KillDescendantsOnce(int root);

}  // namespace ptsim

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace ptsim {

template <class OnReaped>
int KillAndReapDescendants(OnReaped on_reaped) {
  const int self = ::getpid();
  int killed = 0;
  // Rounds without progress; a descendant that cannot be killed (EPERM) or
  // will not die is given up on after 3000 idle rounds (3 s or more) rather
  // than hanging the caller.
  for (int idle = 0; idle < 3000;) {
    const int found = KillDescendantsOnce(self);
    killed += found;
    // Reap what has died; a process killed after it forked leaves children
    // that are now ours: the next round finds them.
    bool reaped = false;
    int status = 0;
    pid_t pid = 0;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      on_reaped(pid, status);
      reaped = true;
    }
    if (pid < 0 && errno == ECHILD && found == 0) break;  // nothing left below us
    if (!reaped) {
      ++idle;
      ::usleep(1000);  // wall-clock-ok: waits for the killed processes to die
    }
  }
  return killed;
}

}  // namespace ptsim
