// The orphan guard: a small watchdog process that makes sure no container
// process outlives ptsim, even when ptsim itself is killed with SIGKILL.
//
// Start() forks the guard before anything else runs. ptsim tells it, over a
// pipe, which process groups it has created; when that pipe closes (ptsim
// exited, however it exited) the guard SIGKILLs those groups, waits (up to
// 3 s) for the containers' shims (whose pids are the groups' ids, see
// container_shim_main.cpp) to end their descendants, then kills every process
// whose environment carries the run's marker (PTSIM_RUN=<token>, which every
// container inherits, so even processes that escaped their group with setsid
// are found), and every task left in ptsim's memory cgroups, then removes the
// cgroups and exits. Watch/Unwatch are called from the loop thread.
#pragma once

#include <memory>
#include <string>

namespace ptsim {

class OrphanGuard {
 public:
  // `marker` is the environment entry to sweep for ("PTSIM_RUN=<token>");
  // `cgroup_dir` (may be empty) is the parent cgroup of the run's containers.
  // Returns null when the guard cannot be started (then only PDEATHSIG and
  // ptsim's own shutdown protect against orphans).
  static std::unique_ptr<OrphanGuard> Start(const std::string& marker,
                                            const std::string& cgroup_dir);
  ~OrphanGuard();
  OrphanGuard(const OrphanGuard&) = delete;
  OrphanGuard& operator=(const OrphanGuard&) = delete;

  void Watch(int pgid);
  void Unwatch(int pgid);
  int pid() const { return pid_; }

 private:
  OrphanGuard(int pid, int fd) : pid_(pid), fd_(fd) {}
  void Send(char op, int pgid);

  int pid_;
  int fd_;
};

}  // namespace ptsim
