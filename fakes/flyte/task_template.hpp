// The task template flytekit registers for a PyTorch/Elastic task, in the
// protobuf JSON shape flytectl prints (core.TaskTemplate): id, type,
// taskTypeVersion, custom, and either a `container` target or, when the task
// has a pod template (as it does by default, through increase_shared_mem), a
// `k8sPod` target plus config {"primary_container_name": ...}; and
// extendedResources for shared_memory/accelerator.
//
// Mirrors flytekit/core/python_auto_container.py (get_container, get_k8s_pod,
// get_config, get_extended_resources) and flytekit/core/utils.py
// _serialize_pod_spec: the primary container of the pod spec receives the
// task's image (unless it has one), command, args, resources (only if any)
// and env (task env first); any other container without an image gets the
// default image (kFlytekitDefaultImage, as does a task without
// container_image). Task-level resources follow _get_container_definition
// (ToContainerResourceModel: truthy values only, limits checked first).
// Differences: the container runs the decorator's command/args instead of
// `pyflyte-execute ...`; the interface is not emitted, and of the metadata
// only `retries` ({"retries": {"retries": N}}, when the task sets retries)
// and `metadata` ({"labels", "annotations"}, when the task sets them).
// Plain functions; any thread.
#pragma once

#include <nlohmann/json.hpp>

#include "fakes/flyte/function_task.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

Result<nlohmann::json> BuildTaskTemplate(const FunctionTask& task);

}  // namespace ptsim::flyte
