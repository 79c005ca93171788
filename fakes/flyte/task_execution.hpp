// TaskExecution: what flytepropeller knows about one attempt of a task beyond
// its template (pluginmachinery/core TaskExecutionMetadata, TaskExecutionID,
// TaskOverrides): the generated name that becomes the PyTorchJob's name, the
// namespace, execution labels/annotations, node overrides (resources, image,
// extended resources) and platform resource defaults.
//
// JSON form (all keys optional; defaults in the struct):
//   {"generatedName": "the-job", "namespace": "ns",
//    "executionId": {"project": "p", "domain": "d", "name": "n"},
//    "nodeId": "n0", "retryAttempt": 0, "labels": {}, "annotations": {},
//    "environmentVariables": {}, "serviceAccount": "sa", "interruptible": false,
//    "ownerReference": {...},
//    "overrides": {"resources": {"requests": {}, "limits": {}},
//                  "containerImage": "img", "extendedResources": {...}},
//    "platformResources": {"requests": {}, "limits": {}}}
// Plain data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fakes/flyte/k8s_resources.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

struct WorkflowExecutionId {
  std::string project = "flytesnacks";
  std::string domain = "development";
  std::string name = "ptsim";
};

struct TaskExecution {
  std::string generated_name = "ptsim-n0-0";
  std::string k8s_namespace = "flytesnacks-development";
  WorkflowExecutionId execution_id{};
  std::string node_id = "n0";  // GetUniqueNodeID
  int64_t retry_attempt = 0;
  std::map<std::string, std::string> labels{};
  std::map<std::string, std::string> annotations{};
  std::map<std::string, std::string> environment_variables{};
  std::string service_account{};
  bool interruptible = false;
  std::optional<nlohmann::json> owner_reference{};

  // TaskOverrides (with_overrides on the node). Empty resources = none.
  ResourceRequirements override_resources{};
  std::string override_container_image{};
  // core.ExtendedResources JSON: {"gpuAccelerator": {...}, "sharedMemory": {...}}.
  std::optional<nlohmann::json> override_extended_resources{};

  ResourceRequirements platform_resources{};
};

Result<TaskExecution> ParseTaskExecution(const nlohmann::json& json);

}  // namespace ptsim::flyte
