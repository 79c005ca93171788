// Reads an input file into a RunPlan: a bare Pod manifest, a `kind: List` of
// them, a PyTorchJob, a scenario, a Flyte task, or a multi-document YAML/JSON
// file. Each document is classified by apiVersion and kind; documents ptsim
// does not run (Services, ConfigMaps, ...) are listed in RunPlan::ignored and
// mentioned in the output, and a kind that looks misspelt is an error
// (document_kind.hpp). Relative paths resolve against the file that holds
// them. Every problem is a Diagnostic naming the file, the line and the
// object; nothing here starts anything. The pre-flight check of containers is
// container_preflight.hpp.
#pragma once

#include <string>

#include "sim/harness/run_plan.hpp"

namespace ptsim {

Result<RunPlan> LoadRunPlan(const std::string& path, const PlanOverrides& overrides);

}  // namespace ptsim
