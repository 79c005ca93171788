// The fault knobs of ptsim-worker, as named options (see options.hpp) rather
// than conditions sprinkled through the training loop: crash at a step (exit
// with a code, or kill itself with a signal), hang at a step, and hold extra
// resident memory. Crashes and hangs happen at the start of step N, after N-1
// steps have completed. The trainer asks the predicates below and calls the
// actions; actions that never return end or freeze the whole process.
#pragma once

#include <cstdint>
#include <vector>

#include "tools/ptsim-worker/log.hpp"
#include "tools/ptsim-worker/options.hpp"

namespace ptsim::worker {

// --crash-at-step N applies to this rank (--crash-rank) and this run
// (--crash-if-fresh: only a run that did not resume from a checkpoint).
bool ShouldCrash(const Options& options, int rank, std::int64_t step, bool resumed);

// --hang-at-step N applies to this rank (--hang-rank).
bool ShouldHang(const Options& options, int rank, std::int64_t step);

// Logs why on stderr, then exits with --crash-exit-code (default 1) or, with
// --crash-signal, restores the signal's default action, disables core dumps
// and kills the process with it.
[[noreturn]] void CrashNow(const Options& options, const Log& log, std::int64_t step);

// Blocks forever in pause(); signals with default actions still end the process.
[[noreturn]] void HangForever();

// Memory held for the rest of the process's life, every page touched so that
// resident memory (VmRSS) really grows.
class MemoryBallast {
 public:
  void Allocate(std::int64_t mib);
  std::int64_t mib() const { return mib_; }

 private:
  std::vector<std::vector<unsigned char>> blocks_;
  std::int64_t mib_ = 0;
};

}  // namespace ptsim::worker
