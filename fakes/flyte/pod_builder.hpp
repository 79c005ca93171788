// ToK8sPodSpec: the pod spec flytepropeller builds from a task template for
// one replica (pluginmachinery/flytek8s/pod_helper.go ToK8sPodSpec =
// BuildRawPod + ApplyFlytePodConfiguration + AddTolerationsForExtendedResources).
//
// Modelled: the `container` target (container named after the generated name,
// image/command/args/env/resources, terminationMessagePolicy
// FallbackToLogsOnError) and the `k8sPod` target (pod spec as given, primary
// container from config.primary_container_name, pod metadata); per-container
// env decoration (FLYTE_INTERNAL_* execution variables, execution and default
// env vars), resource merging and defaulting, restart policy Never, service
// account, scheduler name, tolerations, node selectors and node affinity,
// GPU accelerator selectors, shared memory, the container image override.
// Not modelled: template rendering of {{.input}}-style args, copilot, base pod
// templates from the cluster's PodTemplate store, security contexts, secrets.
//
// Errors are returned with flytepropeller's Go error text (including the
// "[BadTaskSpecification] " code prefix of flyteplugins errors).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "fakes/flyte/k8s_resources.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

struct PodBuild {
  nlohmann::json pod_spec{};  // a V1PodSpec
  std::map<std::string, std::string> labels{};
  std::map<std::string, std::string> annotations{};
  std::string primary_container_name{};
};

// `override_resources` plays TaskOverrides.GetResources(): the node override,
// or the replica's own resources (flytek8s.WithResources).
Result<PodBuild> ToK8sPodSpec(const nlohmann::json& task_template, const TaskExecution& execution,
                              const ResourceRequirements& override_resources,
                              const PluginConfig& config);

// flyteplugins errors render as "[<code>] <message>".
std::string BadTaskSpecification(const std::string& message);

}  // namespace ptsim::flyte
