// batch/v1 Job (k8s.io/api/batch/v1 types.go), as Kubernetes 1.33–1.35 serve
// it, with optional fields kept optional so that validation sees the object as
// submitted and defaulting (pkg/apis/batch/v1/defaults.go) is applied in
// memory, as the API server does on create. Timestamps are virtual time.
// docs/batch-job.md says what ptsim's Job controller models of it. Plain
// data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/object_meta.hpp"
#include "sim/model/pod_template.hpp"

namespace ptsim {

// podFailurePolicy.rules[].onExitCodes.
struct PodFailurePolicyOnExitCodesRequirement {
  std::optional<std::string> container_name;
  std::string operator_;  // In, NotIn
  std::vector<std::int32_t> values;
};

// podFailurePolicy.rules[].onPodConditions[].
struct PodFailurePolicyOnPodConditionsPattern {
  std::string type;
  std::string status = "True";
};

struct PodFailurePolicyRule {
  std::string action;  // FailJob, FailIndex, Ignore, Count
  std::optional<PodFailurePolicyOnExitCodesRequirement> on_exit_codes;
  std::vector<PodFailurePolicyOnPodConditionsPattern> on_pod_conditions;
};

struct PodFailurePolicy {
  std::vector<PodFailurePolicyRule> rules;
};

struct SuccessPolicyRule {
  std::optional<std::string> succeeded_indexes;  // "0,2-4"
  std::optional<std::int32_t> succeeded_count;
};

struct SuccessPolicy {
  std::vector<SuccessPolicyRule> rules;
};

struct JobSpec {
  std::optional<std::int32_t> parallelism;
  std::optional<std::int32_t> completions;
  std::optional<std::int64_t> active_deadline_seconds;
  std::optional<PodFailurePolicy> pod_failure_policy;
  std::optional<SuccessPolicy> success_policy;
  std::optional<std::int32_t> backoff_limit;
  std::optional<std::int32_t> backoff_limit_per_index;
  std::optional<std::int32_t> max_failed_indexes;
  std::optional<LabelSelector> selector;  // set by the API server from the pod labels
  std::optional<bool> manual_selector;
  PodTemplateSpec template_;
  std::optional<std::int32_t> ttl_seconds_after_finished;
  std::optional<std::string> completion_mode;  // NonIndexed, Indexed
  std::optional<bool> suspend;
  std::optional<std::string> pod_replacement_policy;  // TerminatingOrFailed, Failed
  std::optional<std::string> managed_by;
};

// A condition of a batch/v1 Job (batch/v1 JobCondition): lastProbeTime and
// lastTransitionTime rather than the kubeflow lastUpdateTime.
struct BatchJobCondition {
  std::string type;    // Suspended, Complete, Failed, FailureTarget, SuccessCriteriaMet
  std::string status;  // True, False, Unknown
  std::string reason;
  std::string message;
  Time last_probe_time{};
  Time last_transition_time{};
  bool operator==(const BatchJobCondition&) const = default;
};

struct UncountedTerminatedPods {
  std::vector<std::string> succeeded;  // pod UIDs
  std::vector<std::string> failed;
  bool operator==(const UncountedTerminatedPods&) const = default;
};

struct BatchJobStatus {
  std::vector<BatchJobCondition> conditions;
  std::optional<Time> start_time;
  std::optional<Time> completion_time;
  std::int32_t active = 0;
  std::int32_t succeeded = 0;
  std::int32_t failed = 0;
  std::optional<std::int32_t> terminating;
  std::string completed_indexes;  // "1,3-5"
  std::optional<std::string> failed_indexes;
  std::optional<UncountedTerminatedPods> uncounted_terminated_pods;
  std::optional<std::int32_t> ready;
  bool operator==(const BatchJobStatus&) const = default;
};

// Named BatchJob in C++ only, to keep it apart from the training jobs; its
// kind is Job.
struct BatchJob {
  static constexpr const char* kKind = "Job";
  static constexpr const char* kApiVersion = "batch/v1";
  ObjectMeta metadata;
  JobSpec spec;
  BatchJobStatus status;
};

// batch/v1 JobTemplateSpec: what a JobSet's replicated job stamps its Jobs from.
struct JobTemplateSpec {
  ObjectMeta metadata;
  JobSpec spec;
};

// Labels, annotations and finalizers the Job controller writes
// (k8s.io/api/batch/v1 types.go).
inline constexpr const char* kJobCompletionIndexAnnotation =
    "batch.kubernetes.io/job-completion-index";
inline constexpr const char* kJobIndexFailureCountAnnotation =
    "batch.kubernetes.io/job-index-failure-count";
inline constexpr const char* kJobIndexIgnoredFailureCountAnnotation =
    "batch.kubernetes.io/job-index-ignored-failure-count";
inline constexpr const char* kJobTrackingFinalizer = "batch.kubernetes.io/job-tracking";
inline constexpr const char* kBatchJobNameLabel = "batch.kubernetes.io/job-name";
inline constexpr const char* kBatchControllerUidLabel = "batch.kubernetes.io/controller-uid";
inline constexpr const char* kLegacyJobNameLabel = "job-name";
inline constexpr const char* kLegacyControllerUidLabel = "controller-uid";
inline constexpr const char* kJobControllerName = "kubernetes.io/job-controller";
inline constexpr const char* kJobCompletionIndexEnv = "JOB_COMPLETION_INDEX";

}  // namespace ptsim
