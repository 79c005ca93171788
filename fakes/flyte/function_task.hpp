// The two task classes of flytekitplugins.kfpytorch (task.py) at creation
// time: PyTorchFunctionTask (task_config=PyTorch) and
// PytorchElasticFunctionTask (task_config=Elastic). Create() runs the
// constructor's checks in flytekit's order and returns flytekit's exact
// messages; warnings (the increase_shared_mem deprecation) ride along with
// the value. Serialization is in custom.hpp.
//
// Not modelled: the ImportError when torch is missing (ptsim assumes it is
// importable) and the local execution of the task function. Plain values.
#pragma once

#include <string_view>
#include <variant>

#include "fakes/flyte/task_config.hpp"
#include "fakes/flyte/task_decorator.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

inline constexpr int kTaskTypeVersion = 1;  // "controls the version of the task template"

class PyTorchFunctionTask {
 public:
  static constexpr std::string_view kTaskType = "pytorch";  // _PYTORCH_TASK_TYPE

  // Errors: "Cannot specify both `num_workers` and `worker.replicas`. ..."
  // (both truthy) and "Must specify either `num_workers` or `worker.replicas`.
  // ..." (both None), plus resource and shared-memory errors.
  static Result<PyTorchFunctionTask> Create(PyTorch config, TaskDecorator decorator = {});

  const PyTorch& task_config() const { return config_; }
  // The decorator after construction: pod_template may have been added.
  const TaskDecorator& decorator() const { return decorator_; }
  std::string_view task_type() const { return kTaskType; }
  int task_type_version() const { return kTaskTypeVersion; }

 private:
  PyTorchFunctionTask(PyTorch config, TaskDecorator decorator)
      : config_(std::move(config)), decorator_(std::move(decorator)) {}
  PyTorch config_;
  TaskDecorator decorator_;
};

class PytorchElasticFunctionTask {
 public:
  static constexpr std::string_view kElasticTaskType = "pytorch";
  static constexpr std::string_view kElasticTaskTypeStandalone = "python-task";
  static constexpr std::string_view kRdzvBackend = "c10d";

  // Errors: nnodes that torch's parse_min_max_nnodes rejects
  // ("invalid literal for int() with base 10: 'abc'",
  // "nnodes=1:2:3 is not in \"MIN:MAX\" format"), resources, shared memory.
  static Result<PytorchElasticFunctionTask> Create(Elastic config, TaskDecorator decorator = {});

  const Elastic& task_config() const { return config_; }
  const TaskDecorator& decorator() const { return decorator_; }
  // "python-task" exactly when nnodes is the integer 1, else "pytorch".
  std::string_view task_type() const;
  int task_type_version() const { return kTaskTypeVersion; }
  int64_t min_nodes() const { return min_nodes_; }
  int64_t max_nodes() const { return max_nodes_; }

 private:
  PytorchElasticFunctionTask(Elastic config, TaskDecorator decorator)
      : config_(std::move(config)), decorator_(std::move(decorator)) {}
  Elastic config_;
  TaskDecorator decorator_;
  int64_t min_nodes_ = 1;
  int64_t max_nodes_ = 1;
};

using FunctionTask = std::variant<PyTorchFunctionTask, PytorchElasticFunctionTask>;

// TaskPlugins registration: PyTorch -> PyTorchFunctionTask, Elastic ->
// PytorchElasticFunctionTask.
Result<FunctionTask> CreateTask(TaskConfig config, TaskDecorator decorator = {});

// torch.distributed.run.parse_min_max_nnodes(str(nnodes)).
Result<std::pair<int64_t, int64_t>> ParseMinMaxNNodes(const NNodes& nnodes);

}  // namespace ptsim::flyte
