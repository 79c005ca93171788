// jobset.x-k8s.io/v1alpha2 JobSet (kubernetes-sigs/jobset v0.12.0
// api/jobset/v1alpha2/jobset_types.go), with optional fields kept optional so
// that the webhook's defaulting (pkg/webhooks/jobset_webhook.go) can be
// applied in memory on create. Timestamps are virtual time. What ptsim's
// JobSet controller models of it: docs/jobset.md#the-controller.
// Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/batch_job.hpp"
#include "sim/model/object_meta.hpp"

namespace ptsim {

struct DependsOn {
  std::string name;
  std::string status;  // Ready, Complete
};

struct ReplicatedJob {
  std::string name;
  std::optional<std::string> group_name;  // CRD default "default"
  JobTemplateSpec template_;
  std::optional<std::int32_t> replicas;  // CRD default 1
  std::vector<DependsOn> depends_on;     // at most 5
};

struct Network {
  std::optional<bool> enable_dns_hostnames;
  std::optional<std::string> subdomain;
  std::optional<bool> publish_not_ready_addresses;
};

struct FailurePolicyRule {
  std::string name;
  std::string action;  // FailJobSet, RestartJobSet, RestartJobSetAndIgnoreMaxRestarts, ...
  std::vector<std::string> on_job_failure_reasons;
  std::vector<std::string> on_job_failure_message_patterns;
  std::vector<std::string> target_replicated_jobs;
};

struct FailurePolicy {
  std::optional<std::int32_t> max_restarts;
  std::optional<std::string> restart_strategy;  // Recreate (CRD default), BlockingRecreate
  std::vector<FailurePolicyRule> rules;
};

struct JobSetSuccessPolicy {
  std::string operator_;  // All, Any
  std::vector<std::string> target_replicated_jobs;
};

struct StartupPolicy {
  std::string startup_policy_order;  // AnyOrder, InOrder
};

struct Coordinator {
  std::string replicated_job;
  std::int32_t job_index = 0;
  std::int32_t pod_index = 0;
};

struct JobSetSpec {
  std::vector<ReplicatedJob> replicated_jobs;
  std::optional<Network> network;
  std::optional<JobSetSuccessPolicy> success_policy;
  std::optional<FailurePolicy> failure_policy;
  std::optional<StartupPolicy> startup_policy;
  std::optional<bool> suspend;
  std::optional<Coordinator> coordinator;
  std::optional<std::string> managed_by;
  std::optional<std::int32_t> ttl_seconds_after_finished;
};

// A condition of a JobSet (metav1.Condition: no lastProbeTime or
// lastUpdateTime; observedGeneration is not modelled).
struct JobSetCondition {
  std::string type;    // Completed, Failed, Suspended, RestartingJobSet, StartupPolicy...
  std::string status;  // True, False, Unknown
  std::string reason;
  std::string message;
  Time last_transition_time{};
  bool operator==(const JobSetCondition&) const = default;
};

struct ReplicatedJobStatus {
  std::string name;
  std::int32_t ready = 0;
  std::int32_t succeeded = 0;
  std::int32_t failed = 0;
  std::int32_t active = 0;
  std::int32_t suspended = 0;
  bool operator==(const ReplicatedJobStatus&) const = default;
};

struct JobSetStatus {
  std::vector<JobSetCondition> conditions;
  std::int32_t restarts = 0;
  std::int32_t restarts_count_towards_max = 0;
  std::string terminal_state;  // "", Completed, Failed
  std::vector<ReplicatedJobStatus> replicated_jobs_status;
  bool operator==(const JobSetStatus&) const = default;
};

struct JobSet {
  static constexpr const char* kKind = "JobSet";
  static constexpr const char* kApiVersion = "jobset.x-k8s.io/v1alpha2";
  ObjectMeta metadata;
  JobSetSpec spec;
  JobSetStatus status;
};

// Labels and annotations the JobSet controller writes on its Jobs and their
// pods (api/jobset/v1alpha2/jobset_types.go).
inline constexpr const char* kJobSetNameKey = "jobset.sigs.k8s.io/jobset-name";
inline constexpr const char* kJobSetUidKey = "jobset.sigs.k8s.io/jobset-uid";
inline constexpr const char* kReplicatedJobNameKey = "jobset.sigs.k8s.io/replicatedjob-name";
inline constexpr const char* kReplicatedJobReplicasKey =
    "jobset.sigs.k8s.io/replicatedjob-replicas";
inline constexpr const char* kGlobalReplicasKey = "jobset.sigs.k8s.io/global-replicas";
inline constexpr const char* kJobIndexKey = "jobset.sigs.k8s.io/job-index";
inline constexpr const char* kJobGlobalIndexKey = "jobset.sigs.k8s.io/job-global-index";
inline constexpr const char* kJobKey = "jobset.sigs.k8s.io/job-key";
inline constexpr const char* kRestartsKey = "jobset.sigs.k8s.io/restart-attempt";
inline constexpr const char* kGroupNameKey = "jobset.sigs.k8s.io/group-name";
inline constexpr const char* kGroupReplicasKey = "jobset.sigs.k8s.io/group-replicas";
inline constexpr const char* kJobGroupIndexKey = "jobset.sigs.k8s.io/job-group-index";
inline constexpr const char* kCoordinatorKey = "jobset.sigs.k8s.io/coordinator";
inline constexpr const char* kJobSetControllerName = "jobset.sigs.k8s.io/jobset-controller";

}  // namespace ptsim
