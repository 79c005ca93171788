// Checkpoints of the training state. Rank 0 writes DIR/ckpt-<step>.json
// atomically (atomic_file.hpp) after every --checkpoint-every steps and after
// the last step, and on start resumes from the valid checkpoint with the
// highest step. Parameters are stored bit-exact as hex floats ("params_hex")
// beside plain JSON numbers for people ("params"); only the hex values are
// read back. Older checkpoints are kept. One thread.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

struct TrainingState {
  std::int64_t step = 0;  // the last completed step; 0 before training
  double loss = std::numeric_limits<double>::quiet_NaN();  // mean loss at `step`
  std::vector<double> params;
};

// DIR/ckpt-<step>.json
std::string CheckpointPath(const std::string& dir, std::int64_t step);

// Writes the checkpoint for state.step, creating `dir` if needed; returns its path.
Result<std::string> SaveCheckpoint(const std::string& dir, const TrainingState& state,
                                   int world_size);

struct LoadedCheckpoint {
  TrainingState state;
  std::string path;
};

struct CheckpointScan {
  std::optional<LoadedCheckpoint> latest;  // nullopt: start fresh
  std::vector<std::string> skipped;        // "<path>: <why>" for each newer, invalid file
};

// The valid checkpoint with the highest step in `dir`. A checkpoint is valid
// when it parses, its "step" matches its file name and it holds `dim` exact
// parameters. A missing directory means no checkpoint; an unreadable one is
// an error.
Result<CheckpointScan> FindLatestCheckpoint(const std::string& dir, int dim);

}  // namespace ptsim::worker
