// The flyteidl messages the PyTorch plugin exchanges, as plain structs with
// proto3 semantics: scalars default to zero, sub-messages are optional (unset
// vs set-but-empty matters: MessageToDict prints a set empty message as {}).
//
// Sources (flyteorg/flyte@master): flyteidl/protos/flyteidl/plugins/kubeflow/
// {pytorch,common}.proto, flyteidl/protos/flyteidl/plugins/{common,pytorch}.proto
// (v0), flyteidl/protos/flyteidl/core/tasks.proto (Resources). Names follow the
// proto messages; JSON conversion lives in idl_json.hpp. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/flyte/policies.hpp"

namespace ptsim::flyte::idl {

// core.Resources.ResourceName.
enum class ResourceName {
  kUnknown = 0,
  kCpu = 1,
  kGpu = 2,
  kMemory = 3,
  kStorage = 4,
  kEphemeralStorage = 5
};
// "UNKNOWN", "CPU", "GPU", "MEMORY", "STORAGE", "EPHEMERAL_STORAGE".
std::string_view ProtoName(ResourceName name);
std::optional<ResourceName> ResourceNameFromName(std::string_view name);
std::optional<ResourceName> ResourceNameFromNumber(int64_t number);

// core.Resources.ResourceEntry and core.Resources.
struct ResourceEntry {
  ResourceName name = ResourceName::kUnknown;
  std::string value{};
};
struct Resources {
  std::vector<ResourceEntry> requests{};
  std::vector<ResourceEntry> limits{};
};

// plugins.CommonReplicaSpec (never produced by flytekit; read by propeller).
struct CommonReplicaSpec {
  int32_t replicas = 0;
  std::string image{};
  std::optional<Resources> resources{};
  RestartPolicy restart_policy = RestartPolicy::kNever;
};

// kubeflow.DistributedPyTorchTrainingReplicaSpec: fields 1-4 are deprecated
// in favour of `common`, but they are what flytekit fills.
struct DistributedPyTorchTrainingReplicaSpec {
  int32_t replicas = 0;
  std::string image{};
  std::optional<Resources> resources{};
  RestartPolicy restart_policy = RestartPolicy::kNever;
  std::optional<CommonReplicaSpec> common{};
};

// kubeflow.RunPolicy.
struct RunPolicy {
  CleanPodPolicy clean_pod_policy = CleanPodPolicy::kNone;
  int32_t ttl_seconds_after_finished = 0;
  int32_t active_deadline_seconds = 0;
  int32_t backoff_limit = 0;
};

// kubeflow.ElasticConfig (plugins.ElasticConfig in v0 has the same fields).
struct ElasticConfig {
  std::string rdzv_backend{};
  int32_t min_replicas = 0;
  int32_t max_replicas = 0;
  int32_t nproc_per_node = 0;
  int32_t max_restarts = 0;
};

// kubeflow.DistributedPyTorchTrainingTask: the custom of task type version 1.
struct DistributedPyTorchTrainingTask {
  std::optional<DistributedPyTorchTrainingReplicaSpec> worker_replicas{};
  std::optional<DistributedPyTorchTrainingReplicaSpec> master_replicas{};
  std::optional<RunPolicy> run_policy{};
  std::optional<ElasticConfig> elastic_config{};
};

namespace v0 {
// plugins.DistributedPyTorchTrainingTask: the legacy custom of version 0.
struct DistributedPyTorchTrainingTask {
  int32_t workers = 0;
  std::optional<ElasticConfig> elastic_config{};
};
}  // namespace v0

}  // namespace ptsim::flyte::idl
