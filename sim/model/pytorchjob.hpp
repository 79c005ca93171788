// kubeflow.org/v1 PyTorchJob (training-operator pkg/apis/kubeflow.org/v1:
// pytorch_types.go, common_types.go), with optional fields kept optional so
// that validation can see the raw object as submitted and defaulting can be
// applied in memory, as upstream does
// (docs/upstream/training-operator.md#defaulting). Timestamps are virtual time.
// Plain data.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/job_condition.hpp"
#include "sim/model/object_meta.hpp"
#include "sim/model/pod.hpp"
#include "sim/model/pod_template.hpp"

namespace ptsim {

struct RdzvConf {
  std::string key;
  std::string value;
};

struct ElasticPolicy {
  std::optional<std::int32_t> min_replicas;
  std::optional<std::int32_t> max_replicas;
  std::optional<std::string> rdzv_backend;
  std::optional<std::int32_t> rdzv_port;
  std::optional<std::string> rdzv_host;
  std::optional<std::string> rdzv_id;
  std::optional<std::vector<RdzvConf>> rdzv_conf;
  std::optional<bool> standalone;
  std::optional<std::int32_t> n_proc_per_node;  // deprecated: use spec.nprocPerNode
  std::optional<std::int32_t> max_restarts;
  std::optional<nlohmann::json> metrics;  // autoscaling/v2 MetricSpec list, as written
};

struct SchedulingPolicy {
  std::optional<std::int32_t> min_available;
  std::optional<std::string> queue;
  std::optional<ResourceList> min_resources;
  std::string priority_class;
  std::optional<std::int32_t> schedule_timeout_seconds;
};

struct RunPolicy {
  std::optional<std::string> clean_pod_policy;  // None, Running, All (not validated upstream)
  std::optional<std::int32_t> ttl_seconds_after_finished;
  std::optional<std::int64_t> active_deadline_seconds;
  std::optional<std::int32_t> backoff_limit;
  std::optional<SchedulingPolicy> scheduling_policy;
  std::optional<bool> suspend;
  std::optional<std::string> managed_by;
};

struct ReplicaSpec {
  std::optional<std::int32_t> replicas;
  PodTemplateSpec template_;
  std::string restart_policy;  // Always, OnFailure, Never, ExitCode; "" until defaulted
};

struct PyTorchJobSpec {
  RunPolicy run_policy;
  std::optional<ElasticPolicy> elastic_policy;
  // Keyed by the replica type as written ("Master", "Worker"); nullopt when the
  // manifest has no pytorchReplicaSpecs at all.
  std::optional<std::map<std::string, ReplicaSpec>> pytorch_replica_specs;
  std::optional<std::string> nproc_per_node;
};

struct ReplicaStatus {
  std::int32_t active = 0;
  std::int32_t succeeded = 0;
  std::int32_t failed = 0;
  std::string selector;
  bool operator==(const ReplicaStatus&) const = default;
};

struct JobStatus {
  std::vector<JobCondition> conditions;
  std::map<std::string, ReplicaStatus> replica_statuses;
  std::optional<Time> start_time;
  std::optional<Time> completion_time;
  std::optional<Time> last_reconcile_time;
  bool operator==(const JobStatus&) const = default;
};

struct PyTorchJob {
  static constexpr const char* kKind = "PyTorchJob";
  static constexpr const char* kApiVersion = "kubeflow.org/v1";
  ObjectMeta metadata;
  PyTorchJobSpec spec;
  JobStatus status;
};

// Constants of pytorch_types.go and common_types.go.
inline constexpr const char* kPyTorchJobDefaultContainerName = "pytorch";
inline constexpr const char* kPyTorchJobDefaultPortName = "pytorchjob-port";
inline constexpr std::int32_t kPyTorchJobDefaultPort = 23456;
inline constexpr const char* kReplicaTypeMaster = "Master";
inline constexpr const char* kReplicaTypeWorker = "Worker";
inline constexpr const char* kReplicaIndexLabel = "training.kubeflow.org/replica-index";
inline constexpr const char* kReplicaTypeLabel = "training.kubeflow.org/replica-type";
inline constexpr const char* kOperatorNameLabel = "training.kubeflow.org/operator-name";
inline constexpr const char* kJobNameLabel = "training.kubeflow.org/job-name";
inline constexpr const char* kJobRoleLabel = "training.kubeflow.org/job-role";
inline constexpr const char* kKubeflowJobsController = "kubeflow.org/training-operator";
inline constexpr const char* kMultiKueueController = "kueue.x-k8s.io/multikueue";

}  // namespace ptsim
