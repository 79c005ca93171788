// Which training-operator release ptsim emulates, and what differs between
// them (docs/upstream/training-operator.md#release-profiles), plus the `fixed`
// profile: the latest release with its known bugs corrected
// (docs/upstream/training-operator.md#known-upstream-bugs). ProfileFor picks
// the knobs of a profile; a quoted release that has no profile of its own is
// mapped to one by ResolveOperatorRelease (sim/model/operator_version.hpp).
// Plain data.
#pragma once

#include <string>

#include "sim/model/operator_version.hpp"

namespace ptsim {

struct OperatorProfile {
  OperatorVersion version = OperatorVersion::kV1_9_4;
  std::string name = "v1.9.4";

  // v1.8+: a validating webhook rejects invalid jobs; v1.7.0 validates in the
  // controller and only records a PyTorchJobFailedValidation event.
  bool webhook = true;
  // v1.8+: worker 0 carries job-role=master when the job has no Master.
  bool job_role_on_worker0 = true;
  // v1.8+: a non-retryable ExitCode failure fails the job (v1.7 stays Restarting, #2044).
  bool exit_code_permanent_fails_job = true;
  // v1.8.1+: TTL cleanup is skipped while the job is suspended
  // (kubeflow/training-operator#2243); v1.7.0 and v1.8.0 fail it on the nil
  // completionTime before the Suspended status is written.
  bool ttl_skips_suspended = true;
  // v1.9+: runPolicy.managedBy is honoured.
  bool managed_by = true;
  // v1.9.4: the backoff/deadline failure path honours cleanPodPolicy (PR #3420).
  bool clean_pod_policy_on_limit_failure = false;
  // v1.7.0: PET_NPROC_PER_NODE is set only in jobs with a Master, between RANK
  // and PET_NODE_RANK (envvar.go @v1.7.0); v1.8+ sets it whenever
  // spec.nprocPerNode is set, after the master block.
  bool nproc_env_with_master_only = false;
  // v1.7.0-v1.8.1: an empty slot at or beyond `replicas` (Worker replicas 0,
  // which v1.9's webhook rejects) gets a pod and a service, deleted again at
  // the next reconcile, in a loop (kubeflow/trainer#1709). Off: the slot stays
  // empty and a note says what upstream would do.
  bool zero_replicas_churn = false;
  // The event reason when a pod template sets restartPolicy.
  std::string template_restart_policy_reason = "SetPodTemplateRestartPolicy";

  // Fixes (the `fixed` profile only).
  bool deadline_timer = false;             // enforce activeDeadlineSeconds on time (#3358)
  bool exit_code_counts_backoff = false;   // ExitCode recreations count toward backoffLimit (#2045)
  bool exit_code_sets_completion = false;  // completionTime on ExitCode-permanent failure
};

OperatorProfile ProfileFor(OperatorVersion version);

}  // namespace ptsim
