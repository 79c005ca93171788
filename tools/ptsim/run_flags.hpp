// The flags of `ptsim run` that change what a plan says (--seed, --timeout,
// --operator-version, --torchrun, --torch-version, --fault, --image,
// --images, --allow-host-path) or how containers log
// (--container-log-max-size, --container-log-max-files), checked and decoded
// before any file is read. A bad flag is printed on stderr with what to write
// instead; the caller then exits with status 2. Main thread.
#pragma once

#include <optional>

#include "fakes/process/container_log.hpp"
#include "sim/harness/run_plan.hpp"
#include "tools/ptsim/commands.hpp"

namespace ptsim::cli {

// The overrides the flags give every plan, or nullopt after printing why not.
std::optional<PlanOverrides> OverridesFromFlags(const RunOptions& options);

// The kubelet's log rotation from the flags, or nullopt after printing why not.
std::optional<ContainerLogPolicy> LogPolicyFromFlags(const RunOptions& options);

}  // namespace ptsim::cli
