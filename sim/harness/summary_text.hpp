// The human summary printed at the end of a run: a kubectl-like pod table
// (NAME, PHASE, RESTARTS, EXIT, AGE in virtual time) and, for jobs, their
// condition history. Pure functions over the recorded run.
#pragma once

#include <string>

#include "sim/harness/run_recorder.hpp"

namespace ptsim {

// Kubernetes' duration.HumanDuration ("5s", "2m10s", "3h", "2d5h").
std::string HumanDuration(Duration d);
std::string PodTable(const RunRecorder& recorder, Time end);

}  // namespace ptsim
