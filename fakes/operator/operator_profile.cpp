#include "fakes/operator/operator_profile.hpp"

namespace ptsim {

OperatorProfile ProfileFor(OperatorVersion version) {
  OperatorProfile p;
  p.version = version;
  p.name = std::string(OperatorVersionName(version));
  p.webhook = HasValidatingWebhook(version);
  p.managed_by = ValidatesWorkerReplicasAndManagedBy(version);
  p.zero_replicas_churn = !ValidatesWorkerReplicasAndManagedBy(version);
  switch (version) {
    case OperatorVersion::kV1_9_4:
      p.clean_pod_policy_on_limit_failure = true;
      break;
    case OperatorVersion::kV1_9_0:
    case OperatorVersion::kV1_8_1:
      break;
    case OperatorVersion::kV1_8_0:
      p.ttl_skips_suspended = false;
      break;
    case OperatorVersion::kV1_7_0:
      p.job_role_on_worker0 = false;
      p.exit_code_permanent_fails_job = false;
      p.ttl_skips_suspended = false;
      p.template_restart_policy_reason = "SettedPodTemplateRestartPolicy";
      p.nproc_env_with_master_only = true;
      break;
    case OperatorVersion::kFixed:
      p.clean_pod_policy_on_limit_failure = true;
      p.deadline_timer = true;
      p.exit_code_counts_backoff = true;
      p.exit_code_sets_completion = true;
      break;
  }
  return p;
}

}  // namespace ptsim
