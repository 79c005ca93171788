// The pieces of flytepropeller's pod configuration that ToK8sPodSpec
// (pod_builder.hpp) applies after building the raw pod, each on a V1PodSpec
// or V1Container in JSON form:
//   DecorateEnvVars       flytek8s/k8s_resource_adds.go DecorateEnvVars
//   UpdatePod             flytek8s/pod_helper.go UpdatePod (+ GetPodTolerations,
//                         ApplyInterruptibleNodeAffinity)
//   ApplyGpuNodeSelectors flytek8s/pod_helper.go ApplyGPUNodeSelectors
//   ApplySharedMemory     flytek8s/pod_helper.go ApplySharedMemory
//   AddTolerationsForExtendedResources  (same file)
// Go map iteration (resource names, env maps) is replaced by sorted order.
// Internal to fakes/flyte; plain functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/k8s_resources.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

// Appends FLYTE_INTERNAL_EXECUTION_{ID,PROJECT,DOMAIN}, FLYTE_ATTEMPT_NUMBER,
// FLYTE_INTERNAL_TASK_{PROJECT,DOMAIN,NAME,VERSION} (when the template has an
// id), the execution's environment variables and the config's default ones.
void DecorateEnvVars(const TaskExecution& execution, const nlohmann::json& task_template,
                     const PluginConfig& config, nlohmann::json* container);

// Restart policy Never when unset, tolerations for requested resources and
// interruptible pods, service account, scheduler name, node selectors, and an
// (at least empty) node affinity.
void UpdatePod(const TaskExecution& execution, const PluginConfig& config,
               const std::vector<ResourceRequirements>& container_resources,
               nlohmann::json* pod_spec);

// `accelerator` is a core.GPUAccelerator JSON: {"device", "partitionSize" |
// "unpartitioned"}. Acts only when some container limits the GPU resource.
void ApplyGpuNodeSelectors(const nlohmann::json& accelerator, const PluginConfig& config,
                           nlohmann::json* pod_spec);

// `shared_memory` is a core.SharedMemory JSON: {"mountName", "mountPath",
// "sizeLimit"}. Errors carry flytepropeller's messages.
Diagnostics ApplySharedMemory(const nlohmann::json& shared_memory,
                              const std::string& primary_container_name, nlohmann::json* pod_spec);

void AddTolerationsForExtendedResources(const PluginConfig& config, nlohmann::json* pod_spec);

}  // namespace ptsim::flyte
