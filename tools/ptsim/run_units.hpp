// The executions of `ptsim run`: one Unit per plan and --repeat, each with
// its own run directory under --runs-dir, run one after another or, with -j,
// on worker threads (each run is isolated: its own Simulation and loop).
// A run's reports are written to its directory as soon as it ends; what it
// prints is a view of its JSON report (run_summary.hpp), buffered while
// runs go in parallel. Main thread, except ExecuteUnits' workers, which
// share only the output lock.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/harness/run.hpp"
#include "tools/ptsim/commands.hpp"

namespace ptsim::cli {

// One execution of one plan (a plan runs --repeat times).
struct Unit {
  const RunPlan* plan = nullptr;
  int attempt = 0;  // 0-based, for --repeat
  std::string run_dir;
  nlohmann::json report;
  bool passed = false;
  std::uint64_t digest = 0;
  bool ran = false;
  int interrupted_by = 0;   // the signal that interrupted it, 0 when none
  std::string write_error;  // why its reports could not be written
};

// One unit per plan and repeat, with its run directory (absolute).
std::vector<Unit> MakeUnits(const std::vector<RunPlan>& plans, const RunOptions& options);

// Checks that every unit's run directory may be replaced (it does not exist,
// or ptsim made it), then empties or creates each; false after printing why
// not.
bool PrepareRunDirs(const std::vector<Unit>& units);

// Runs every unit (in parallel with -j) with `processes`; stops starting new
// ones once interrupted.
void ExecuteUnits(std::vector<Unit>& units, const RunOptions& options,
                  const ProcessEnvironment& processes);

}  // namespace ptsim::cli
