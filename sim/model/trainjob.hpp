// trainer.kubeflow.org/v1alpha1 TrainJob, TrainingRuntime and
// ClusterTrainingRuntime (kubeflow/trainer v2.3.0 pkg/apis/trainer/v1alpha1:
// trainjob_types.go, trainingruntime_types.go), with optional fields kept
// optional so that the webhooks see the object as submitted. Timestamps are
// virtual time. What ptsim's TrainJob controller models of them:
// docs/trainer.md#the-trainjob-controller. Plain data.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/jobset.hpp"
#include "sim/model/object_meta.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

struct RuntimeRef {
  std::string name;
  std::optional<std::string> api_group;  // default trainer.kubeflow.org
  std::optional<std::string> kind;       // default ClusterTrainingRuntime
};

struct InitializerSpec {  // dataset or model
  std::optional<std::string> storage_uri;
  std::vector<EnvVar> env;
  std::optional<std::string> secret_ref;  // secretRef.name
};

struct Initializer {
  std::optional<InitializerSpec> dataset;
  std::optional<InitializerSpec> model;
};

struct Trainer {
  std::optional<std::string> image;
  std::optional<std::vector<std::string>> command;
  std::optional<std::vector<std::string>> args;
  std::vector<EnvVar> env;
  std::optional<std::int32_t> num_nodes;
  std::optional<ResourceRequirements> resources_per_node;
  std::optional<nlohmann::json> num_proc_per_node;  // an int or "auto", as written
};

// runtimePatches[]: a manager's strategic-merge patch of the runtime's
// template, kept as written (the JobSet plugin applies it in order).
struct RuntimePatch {
  std::string manager;
  std::optional<Time> time;              // set by the mutating webhook
  nlohmann::json training_runtime_spec;  // {template: {metadata, spec: {replicatedJobs}}}
};

struct TrainJobSpec {
  RuntimeRef runtime_ref;
  std::optional<Initializer> initializer;
  std::optional<Trainer> trainer;  // nil vs {} differ: kubeflow/trainer#4076
  std::vector<RuntimePatch> runtime_patches;
  std::optional<bool> suspend;
  std::optional<std::int64_t> active_deadline_seconds;
  std::optional<std::string> managed_by;
};

// JobSet's replicatedJobsStatus, copied verbatim.
using JobStatusOfTrainJob = ReplicatedJobStatus;

struct TrainJobStatus {
  std::vector<JobSetCondition> conditions;  // metav1.Condition, as JobSet's
  std::vector<JobStatusOfTrainJob> jobs_status;
  bool operator==(const TrainJobStatus&) const = default;
};

struct TrainJob {
  static constexpr const char* kKind = "TrainJob";
  static constexpr const char* kApiVersion = "trainer.kubeflow.org/v1alpha1";
  ObjectMeta metadata;
  TrainJobSpec spec;
  TrainJobStatus status;
};

struct TorchEnvInjectionTarget {
  std::string job_name;
  std::vector<std::string> container_names;
};

struct TorchMLPolicySource {
  std::vector<TorchEnvInjectionTarget> env_injection_targets;
};

struct MLPolicy {
  std::optional<std::int32_t> num_nodes;  // default 1
  std::optional<TorchMLPolicySource> torch;
  // mpi, jax, xgboost and flux are named so that a runtime using them is
  // recognised (and refused: only the torch plugin is modelled).
  std::optional<std::string> other_policy;
};

struct PodGroupPolicy {
  std::optional<std::int32_t> coscheduling_schedule_timeout_seconds;
  bool volcano = false;
};

struct JobSetTemplateSpec {
  ObjectMeta metadata;  // labels and annotations only
  JobSetSpec spec;
};

struct TrainingRuntimeSpec {
  std::optional<MLPolicy> ml_policy;
  std::optional<PodGroupPolicy> pod_group_policy;
  JobSetTemplateSpec template_;
};

// TrainingRuntime (namespaced) and ClusterTrainingRuntime (cluster-scoped:
// metadata.namespace_ is "") share their spec.
struct TrainingRuntime {
  static constexpr const char* kKind = "TrainingRuntime";
  static constexpr const char* kApiVersion = "trainer.kubeflow.org/v1alpha1";
  ObjectMeta metadata;
  TrainingRuntimeSpec spec;
};

struct ClusterTrainingRuntime {
  static constexpr const char* kKind = "ClusterTrainingRuntime";
  static constexpr const char* kApiVersion = "trainer.kubeflow.org/v1alpha1";
  ObjectMeta metadata;
  TrainingRuntimeSpec spec;
};

// Names the trainer writes (pkg/constants/constants.go).
inline constexpr const char* kTrainerGroup = "trainer.kubeflow.org";
inline constexpr const char* kTrainJobControllerName = "trainer.kubeflow.org/trainjob-controller";
inline constexpr const char* kAncestorStepLabel = "trainer.kubeflow.org/trainjob-ancestor-step";
inline constexpr const char* kFrameworkLabel = "trainer.kubeflow.org/framework";
inline constexpr const char* kTrainerNodeName = "node";  // the trainer replicated job and container
inline constexpr const char* kAncestorTrainer = "trainer";  // the trainer's ancestor-step label
inline constexpr const char* kDatasetInitializer = "dataset-initializer";
inline constexpr const char* kModelInitializer = "model-initializer";
inline constexpr std::int32_t kTorchMasterPort = 29500;

}  // namespace ptsim
