// ptsim-shim: the parent of one container's main process, standing where a
// container runtime's shim and the container's cgroup stand on a node.
//
//   ptsim-shim READY_FD EXE ARG0 ARGS...
//
// The runner execs the shim in the container's process group G (pgid = the
// shim's pid), with the container's environment, descriptors and cgroup. The
// shim makes itself a child subreaper (PR_SET_CHILD_SUBREAPER): every process
// the container starts stays its descendant, whatever it does to detach
// (setsid, double fork, `env -i`, closing its output). It forks and execs EXE,
// reports the exec's failure as an errno on READY_FD (nothing, and the
// descriptor's close, means it ran), and moves itself out of G into ptsim's own
// group, so that signals the runner sends to G (SIGTERM, SIGKILL, SIGSTOP) reach
// the container's processes and not the shim. When the main process ends, and
// when ptsim dies (PR_SET_PDEATHSIG), the shim SIGKILLs and reaps all of its
// descendants, then ends as the main process ended (same exit code or signal).
// A catchable signal sent to the shim with kill(2) from outside ptsim's process
// group is passed on to G; what the group receives (the terminal's Ctrl-C) is
// ignored: ptsim handles it.
// Limit: a SIGKILL of the shim itself leaves its descendants to init, as a
// SIGKILLed containerd-shim leaves its container (the orphan guard's sweeps
// remain).
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fakes/process/process_tree.hpp"

namespace {

// The signal ptsim's death sends the shim (PR_SET_PDEATHSIG).
int ParentDeathSignal() {
  return SIGRTMIN + 1;
}

[[noreturn]] void EndAs(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    // End by the same signal, without a core file of the shim's own.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
    ::kill(::getpid(), sig);
    ::_exit(128 + sig);
  }
  ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

int Run(int ready_fd, char** argv) {
  const pid_t ptsim = ::getppid();
  const pid_t self = ::getpid();
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  // Block what the loop below waits for before anything can send it.
  sigset_t waited;
  sigemptyset(&waited);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH})
    sigaddset(&waited, sig);
  sigaddset(&waited, ParentDeathSignal());
  sigset_t before;
  ::sigprocmask(SIG_BLOCK, &waited, &before);
  ::fcntl(ready_fd, F_SETFD, FD_CLOEXEC);
  const pid_t main_pid = ::fork();
  if (main_pid < 0) {
    const int err = errno;
    (void)!::write(ready_fd, &err, sizeof err);
    return 127;
  }
  if (main_pid == 0) {
    ::sigprocmask(SIG_SETMASK, &before, nullptr);
    ::execv(argv[0], argv);
    const int err = errno;
    (void)!::write(ready_fd, &err, sizeof err);
    ::_exit(127);
  }
  ::close(ready_fd);
  // Out of the container's group: the runner's signals to the group are the container's.
  ::setpgid(0, ::getpgid(ptsim));
  for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE})
    ::signal(sig, SIG_IGN);
  ::prctl(PR_SET_PDEATHSIG, ParentDeathSignal());
  bool ptsim_gone = ::getppid() != ptsim;
  int main_status = 0;
  bool main_ended = false;
  while (!main_ended && !ptsim_gone) {
    siginfo_t info{};
    const int sig = ::sigwaitinfo(&waited, &info);
    if (sig < 0) continue;
    if (sig == SIGCHLD) {
      int status = 0;
      pid_t pid = 0;
      while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == main_pid) {
          main_status = status;
          main_ended = true;
        }
      }
    } else if (sig == ParentDeathSignal()) {
      ptsim_gone = ::getppid() != ptsim;
    } else if (info.si_code == SI_USER && ::getpgid(info.si_pid) != ::getpgrp()) {
      // Sent to the shim's pid as if to the container: passed on. What ptsim's own
      // process group receives (the terminal's Ctrl-C, a kill of the group) is
      // ptsim's to handle.
      ::killpg(self, sig);
    }
  }
  ptsim::KillAndReapDescendants([&](int pid, int status) {
    if (pid == main_pid && !main_ended) {
      main_status = status;
      main_ended = true;
    }
  });
  if (!main_ended) main_status = SIGKILL;  // reaped before (cannot happen) or killed now
  EndAs(main_status);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: ptsim-shim READY_FD EXE [ARGS...] (started by ptsim only)\n");
    return 2;
  }
  char* end = nullptr;
  const long fd = std::strtol(argv[1], &end, 10);
  if (*end != '\0' || fd < 0 || ::fcntl(static_cast<int>(fd), F_GETFD) < 0) {
    std::fprintf(stderr, "ptsim-shim: READY_FD \"%s\" is not an open descriptor\n", argv[1]);
    return 2;
  }
  return Run(static_cast<int>(fd), argv + 2);
}
