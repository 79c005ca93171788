// The training run of one rank, from start-up to exit status. Rank 0 owns the
// state (its newest checkpoint, or the fixed initial parameters) and hands it
// to every rank when the group forms; then each step computes this rank's
// gradient, averages it over all ranks, applies SGD, logs, and (rank 0)
// checkpoints. Fault knobs fire at the start of their step. Returns 0 when
// done, 1 when a peer is lost or a file cannot be written, 2 for a bad port;
// crashes and hangs do not return. Call once, from main's thread.
#pragma once

#include "tools/ptsim-worker/launch_env.hpp"
#include "tools/ptsim-worker/options.hpp"

namespace ptsim::worker {

int RunTrainer(const Options& options, const LaunchEnv& launch, const EnvLookup& env);

}  // namespace ptsim::worker
