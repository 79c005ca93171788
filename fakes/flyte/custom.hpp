// The serialized form of a PyTorch/Elastic task: task type, task type version
// and the `custom` JSON exactly as flytekit's get_custom returns it (task.py
// PyTorchFunctionTask.get_custom, PytorchElasticFunctionTask.get_custom,
// rendered by MessageToDict, see idl_json.hpp).
//
// Rules carried over: PyTorch replica specs always carry "resources" ({} when
// empty); the master always has replicas 1; a truthy num_workers overwrites
// worker replicas; runPolicy appears whenever run_policy is not None (even
// all-default: {}); Elastic emits only workerReplicas {replicas: max}, the
// elasticConfig (rdzvBackend c10d) and runPolicy; Elastic with integer nnodes
// 1 is a plain "python-task" with no custom. int32 fields outside the int32
// range fail with protobuf's "Value out of range: <n>". Plain functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fakes/flyte/function_task.hpp"
#include "fakes/flyte/idl.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

// The proto messages get_custom builds, before MessageToDict.
Result<idl::DistributedPyTorchTrainingTask> BuildTrainingTask(const PyTorchFunctionTask& task);
// nullopt for the standalone ("python-task") case.
Result<std::optional<idl::DistributedPyTorchTrainingTask>> BuildTrainingTask(
    const PytorchElasticFunctionTask& task);

// get_custom(settings).
Result<nlohmann::json> GetCustom(const PyTorchFunctionTask& task);
Result<std::optional<nlohmann::json>> GetCustom(const PytorchElasticFunctionTask& task);

// The v0 plugin (flytekit < 1.6.2): PyTorch(num_workers=N) serialized as
// {"workers": N} with task type version 0.
nlohmann::json LegacyCustom(int32_t num_workers);

struct SerializedTask {
  std::string type{};                      // "pytorch" or "python-task"
  int version = kTaskTypeVersion;          // task_type_version
  std::optional<nlohmann::json> custom{};  // absent for "python-task"
};

Result<SerializedTask> Serialize(const FunctionTask& task);

}  // namespace ptsim::flyte
