// The PyTorchJob flytepropeller submits for a "pytorch" task: the kfoperators
// PyTorch plugin's BuildResource (kfoperators/pytorch/pytorch.go) with
// ToReplicaSpec / ToReplicaSpecWithOverrides and the policy parsers
// (kfoperators/common/common_operator.go), finished by the plugin manager's
// addObjectMetadata (flytepropeller/pkg/controller/nodes/task/k8s/
// plugin_manager.go): name, namespace, labels, annotations, owner reference.
//
// Input: a task template as flytectl prints it (protobuf JSON, camelCase:
// "type", "taskTypeVersion", "custom", "container" or "k8sPod" + "config",
// "id", "metadata", "extendedResources"), the task execution and the plugin
// config. Output: a kubeflow.org/v1 PyTorchJob manifest; zero-valued fields
// are left out (no "creationTimestamp": null, no empty "status").
// Errors carry flytepropeller's message in Diagnostic::message and the
// template field in Diagnostic::field. Plain functions; any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "fakes/flyte/common_operator.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

// BuildResource + addObjectMetadata.
Result<nlohmann::json> BuildPyTorchJob(const nlohmann::json& task_template,
                                       const TaskExecution& execution, const PluginConfig& config);

// addObjectMetadata: name (the generated name, made DNS-1123 compatible),
// namespace, labels and annotations (plugin defaults, then `object_metadata`'s
// own, then the template's metadata.metadata, then the execution's; later
// ones win) and the owner reference when the execution has one.
nlohmann::json ObjectMetadata(const nlohmann::json& task_template, const TaskExecution& execution,
                              const PluginConfig& config, const nlohmann::json& object_metadata);

// GetProperties: the error aggregation strategy ("Earliest" or "").
std::string ErrorAggregationStrategy(const PluginConfig& config);

}  // namespace ptsim::flyte
