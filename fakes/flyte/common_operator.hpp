// The replica-spec helpers flytepropeller's kubeflow plugins share
// (flyteplugins kfoperators/common/common_operator.go), specialised to the
// PyTorch plugin: ToReplicaSpec / ToReplicaSpecWithOverrides build one
// kubeflow ReplicaSpec (JSON) from the task template; ParseRunPolicy,
// ParseElasticConfig, OverrideContainerSpec and GetReplicaCount are the small
// mappings BuildResource and GetTaskPhase use. Errors carry flytepropeller's
// Go error text. Plain functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/idl.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

inline constexpr std::string_view kPyTorchJobDefaultContainerName = "pytorch";

// ToReplicaSpec: the pod spec (ToK8sPodSpec) with the primary container
// renamed "pytorch", labels/annotations = plugin defaults + pod + execution,
// replicas 0, restartPolicy Never. `override_resources` plays the node's
// override resources.
Result<nlohmann::json> ToReplicaSpec(const nlohmann::json& task_template,
                                     const TaskExecution& execution,
                                     const ResourceRequirements& override_resources,
                                     const PluginConfig& config);

// ToReplicaSpecWithOverrides: `common` wins over the deprecated fields;
// non-empty replica resources (platform-defaulted) replace the node's
// override resources; the master gets replicas 1; a non-empty image replaces
// the pytorch container's; the restart policy maps NEVER/ON_FAILURE/ALWAYS to
// Never/OnFailure/Always and is left out for an unknown number; a worker
// keeps its replicas. An absent spec reads as all zero. A resources error's
// field is relative to the replica spec (`resources`, `common.resources`).
Result<nlohmann::json> ToReplicaSpecWithOverrides(
    const nlohmann::json& task_template, const TaskExecution& execution, const PluginConfig& config,
    const std::optional<idl::DistributedPyTorchTrainingReplicaSpec>& replica_spec, bool is_master);

// ParseRunPolicy: cleanPodPolicy always set ("None" when unset, "" for an
// unknown number); backoff limit, active deadline and TTL only when non-zero.
nlohmann::json ParseRunPolicy(const idl::RunPolicy& policy);

// ParseElasticConfig: minReplicas, maxReplicas, rdzvBackend, nProcPerNode,
// maxRestarts, all set even when zero.
nlohmann::json ParseElasticConfig(const idl::ElasticConfig& config);

// OverrideContainerSpec: on every container named `name`, replace the image
// when non-empty and the args when non-empty.
void OverrideContainerSpec(nlohmann::json* pod_spec, const std::string& name,
                           const std::string& image, const std::vector<std::string>& args);

// GetReplicaCount on spec.pytorchReplicaSpecs: replicas of the type, 0 when
// the entry or its replicas are absent.
int32_t GetReplicaCount(const nlohmann::json& replica_specs, const std::string& replica_type);

}  // namespace ptsim::flyte
