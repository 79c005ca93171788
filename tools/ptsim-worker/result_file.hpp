// The result file rank 0 writes at the end of a run (--result-file): a JSON
// object with steps, world_size, dim, final_loss, params, resumed_from_step
// (null for a fresh run), and the exact hex forms final_loss_hex and
// params_hex, so tests can compare two runs bit for bit. Written atomically,
// creating missing parent directories. One thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

struct RunSummary {
  std::int64_t steps = 0;  // the last completed step
  int world_size = 1;
  double final_loss = 0;
  std::vector<double> params;
  std::optional<std::int64_t> resumed_from_step;
};

Status WriteResultFile(const std::string& path, const RunSummary& summary);

}  // namespace ptsim::worker
