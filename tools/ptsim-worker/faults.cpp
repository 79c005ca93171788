#include "tools/ptsim-worker/faults.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "tools/ptsim-worker/signals.hpp"

namespace ptsim::worker {
namespace {

[[noreturn]] void KillSelf(int signal) {
  // A crash test should not litter core files or wake a core-dump handler.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  std::signal(signal, SIG_DFL);  // fails harmlessly for SIGKILL
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signal);
  ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
  std::raise(signal);
  std::_Exit(128 + signal);  // not reached for signals that end a process
}

}  // namespace

bool ShouldCrash(const Options& options, int rank, std::int64_t step, bool resumed) {
  return options.crash_at_step == step && (!options.crash_rank || *options.crash_rank == rank) &&
         !(options.crash_if_fresh && resumed);
}

bool ShouldHang(const Options& options, int rank, std::int64_t step) {
  return options.hang_at_step == step && (!options.hang_rank || *options.hang_rank == rank);
}

void CrashNow(const Options& options, const Log& log, std::int64_t step) {
  if (options.crash_signal) {
    log.Error(fmt::format("crashing at step {} with signal {} (--crash-at-step)", step,
                          SignalName(*options.crash_signal)));
    KillSelf(*options.crash_signal);
  }
  const int code = options.crash_exit_code.value_or(1);
  log.Error(fmt::format("crashing at step {} with exit code {} (--crash-at-step)", step, code));
  std::fflush(nullptr);
  std::_Exit(code);
}

void HangForever() {
  std::fflush(nullptr);
  for (;;)
    ::pause();
}

void MemoryBallast::Allocate(std::int64_t mib) {
  constexpr unsigned char kFill = 0xA5;  // not zero, so every page is written
  blocks_.emplace_back(static_cast<std::size_t>(mib) << 20, kFill);
  mib_ += mib;
}

}  // namespace ptsim::worker
