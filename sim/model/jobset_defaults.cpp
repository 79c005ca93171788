#include "sim/model/jobset_defaults.hpp"

#include <fmt/format.h>

namespace ptsim {

void SetCrdDefaults_JobSet(JobSet* js) {  // NOLINT(readability-identifier-naming)
  for (auto& rjob : js->spec.replicated_jobs) {
    if (!rjob.replicas) rjob.replicas = 1;
    if (!rjob.group_name) rjob.group_name = "default";
  }
  if (js->spec.failure_policy && !js->spec.failure_policy->restart_strategy)
    js->spec.failure_policy->restart_strategy = "Recreate";
}

void SetDefaults_JobSet(JobSet* js) {  // NOLINT(readability-identifier-naming)
  SetCrdDefaults_JobSet(js);
  auto& spec = js->spec;
  if (!spec.success_policy) spec.success_policy = JobSetSuccessPolicy{"All", {}};
  if (!spec.startup_policy) spec.startup_policy = StartupPolicy{"AnyOrder"};
  for (auto& rjob : spec.replicated_jobs) {
    auto& job_spec = rjob.template_.spec;
    if (!job_spec.completion_mode) job_spec.completion_mode = "Indexed";
    auto& pod_spec = job_spec.template_.spec;
    // An unset restartPolicy is "" upstream; here it is the unset flag.
    if (!pod_spec.restart_policy_set || pod_spec.restart_policy.empty()) {
      pod_spec.restart_policy = "OnFailure";
      pod_spec.restart_policy_set = true;
    }
  }
  if (!spec.network) spec.network = Network{};
  if (!spec.network->enable_dns_hostnames) spec.network->enable_dns_hostnames = true;
  if (!spec.network->publish_not_ready_addresses) spec.network->publish_not_ready_addresses = true;
  if (spec.failure_policy) {
    auto& rules = spec.failure_policy->rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (rules[i].name.empty()) rules[i].name = fmt::format("failurePolicyRule{}", i);
    }
  }
}

}  // namespace ptsim
