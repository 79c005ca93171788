// Which host directories a hostPath volume may name. A hostPath is the
// host's own directory, used as it is (docs/volumes.md): a container could
// write anywhere through it. So a run may name only directories the user has
// already pointed ptsim at: the input file's directory and below, the runs
// directory and below, and each `--allow-host-path PREFIX`. Anything else is
// an error at load time, at the pod or template that names it, before anything
// runs. Paths are compared after symbolic links are resolved. Plain functions;
// main thread (loading).
#pragma once

#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/harness/run_plan.hpp"

namespace ptsim {

// `allowed`: absolute prefixes (--allow-host-path and the runs directory); the
// plan's own directory (RunPlan::working_dir) is added here.
void CheckHostPaths(const RunPlan& plan, const std::vector<std::string>& allowed,
                    Diagnostics* diagnostics);

// `path` made absolute (against the current directory), normalized, with the
// symbolic links of its existing part resolved.
std::string ResolvedHostPath(const std::string& path);
// True when `path` is `prefix` or below it (whole components only).
bool IsBelow(const std::string& path, const std::string& prefix);

}  // namespace ptsim
