// Reads an input file into a RunPlan: a bare Pod manifest, a `kind: List` of
// them, or a multi-document YAML/JSON file. Each document is classified by
// apiVersion and kind; documents ptsim does not run (Services, ConfigMaps, ...)
// are listed in RunPlan::ignored and mentioned in the output. Every problem is
// a Diagnostic naming the file, the line and the object; nothing here starts
// anything. Also checks, before a run, that every container can start: a
// command or an image mapping exists and the executable is found.
#pragma once

#include <string>

#include "sim/harness/run_plan.hpp"

namespace ptsim {

Result<RunPlan> LoadRunPlan(const std::string& path, const PlanOverrides& overrides);

// The pre-flight check for containers of `plan`: each needs a command, a
// scripted container annotation, or an image mapping, and its executable must
// exist. `base_env` supplies PATH.
void CheckContainersCanStart(const RunPlan& plan, const std::vector<std::string>& base_env,
                             Diagnostics* diagnostics);

}  // namespace ptsim
