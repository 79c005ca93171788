// Matching a failed pod against a Job's podFailurePolicy
// (pkg/controller/job/pod_failure_policy.go matchPodFailurePolicy): rules in
// order, the first match wins; onExitCodes looks at terminated containers
// with a non-zero exit code, app containers before init containers;
// onPodConditions at the pod's conditions. Pure functions; any thread.
#pragma once

#include <optional>
#include <string>

#include "sim/model/batch_job.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

struct PodFailurePolicyMatch {
  // For FailJob: "Container <c> for pod <ns>/<pod> failed with exit code <n>
  // matching FailJob rule at index <i>" or "Pod <ns>/<pod> has condition <T>
  // matching FailJob rule at index <i>".
  std::optional<std::string> job_failure_message;
  bool count_failed = true;           // false only for Ignore
  std::optional<std::string> action;  // the matched rule's action, if any
};

// A null policy counts every failure and matches nothing.
PodFailurePolicyMatch MatchPodFailurePolicy(const PodFailurePolicy* policy, const Pod& failed_pod);

}  // namespace ptsim
