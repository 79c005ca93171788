#include "fakes/flyte/function_task.hpp"

#include <fmt/format.h>

#include "fakes/flyte/python_value.hpp"

namespace ptsim::flyte {
namespace {

// Field paths in diagnostics follow the YAML config's keys (config_yaml.hpp).
constexpr std::string_view kPyTorchField = "pytorch";
constexpr std::string_view kElasticField = "elastic";
constexpr std::string_view kTaskField = "task";

// The Resources objects are built before the task, so their __post_init__
// checks fire before anything in the task constructor.
Diagnostics CheckArguments(const std::optional<Resources>& requests,
                           const std::optional<Resources>& limits, const std::string& field) {
  Diagnostics d;
  if (requests) d.Append(CheckResources(*requests, field + ".requests"));
  if (d.ok() && limits) d.Append(CheckResources(*limits, field + ".limits"));
  return d;
}

Diagnostics CheckDecorator(const TaskDecorator& decorator) {
  std::string task(kTaskField);
  Diagnostics d = CheckArguments(decorator.requests, decorator.limits, task);
  if (d.ok() && decorator.pod_template) {
    d.Append(CheckPodTemplate(*decorator.pod_template, task + ".pod_template"));
  }
  return d;
}

// pod_template.py, called from both __init__s: when increase_shared_mem is set
// and the task's own shared_memory is False/None, make sure there is a pod
// template and add the shm volume to it.
Diagnostics MaybeIncreaseSharedMem(bool increase_shared_mem, std::string_view config_field,
                                   TaskDecorator* decorator) {
  if (!increase_shared_mem || !SharedMemoryUnset(*decorator)) return {};
  if (!decorator->pod_template) decorator->pod_template = PodTemplate{};
  return AddSharedMemVolumeToPodTemplate(&*decorator->pod_template,
                                         std::string(config_field) + ".increase_shared_mem");
}

}  // namespace

bool SharedMemoryUnset(const TaskDecorator& decorator) {
  if (!decorator.shared_memory) return true;
  const bool* flag = std::get_if<bool>(&*decorator.shared_memory);
  return flag != nullptr && !*flag;
}

Result<PyTorchFunctionTask> PyTorchFunctionTask::Create(PyTorch config, TaskDecorator decorator) {
  std::string field(kPyTorchField);
  Diagnostics d = CheckArguments(config.master.requests, config.master.limits, field + ".master");
  if (d.ok())
    d.Append(CheckArguments(config.worker.requests, config.worker.limits, field + ".worker"));
  if (d.ok()) d.Append(CheckDecorator(decorator));
  if (!d.ok()) return d;

  // PyTorchFunctionTask.__init__: "both" uses truthiness, "neither" uses `is None`.
  bool num_workers_truthy = config.num_workers.value_or(0) != 0;
  bool replicas_truthy = config.worker.replicas.value_or(0) != 0;
  if (num_workers_truthy && replicas_truthy) {
    d.Error({}, "", field + ".num_workers",
            "Cannot specify both `num_workers` and `worker.replicas`. Please use `worker.replicas` "
            "as `num_workers` is depreacated.");
    return d;
  }
  if (!config.num_workers && !config.worker.replicas) {
    d.Error({}, "", field,
            "Must specify either `num_workers` or `worker.replicas`. Please use `worker.replicas` "
            "as `num_workers` is depreacated.");
    return d;
  }
  d.Append(MaybeIncreaseSharedMem(config.increase_shared_mem, field, &decorator));
  if (!d.ok()) return d;
  return Result<PyTorchFunctionTask>(PyTorchFunctionTask(std::move(config), std::move(decorator)),
                                     d);
}

std::string_view PytorchElasticFunctionTask::task_type() const {
  const int64_t* n = std::get_if<int64_t>(&config_.nnodes);
  return n != nullptr && *n == 1 ? kElasticTaskTypeStandalone : kElasticTaskType;
}

Result<std::pair<int64_t, int64_t>> ParseMinMaxNNodes(const NNodes& nnodes) {
  std::string text = std::holds_alternative<int64_t>(nnodes)
                         ? std::to_string(std::get<int64_t>(nnodes))
                         : std::get<std::string>(nnodes);
  Diagnostics d;
  std::string field = std::string(kElasticField) + ".nnodes";
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1) {
    parts.push_back(text.substr(start, colon - start));
  }
  parts.push_back(text.substr(start));
  if (parts.size() > 2) {
    d.Error({}, "", field, fmt::format("nnodes={} is not in \"MIN:MAX\" format", text));
    return d;
  }
  std::vector<int64_t> values;
  for (const auto& part : parts) {
    auto parsed = PyInt(part);
    if (!parsed) {
      d.Error({}, "", field, PyIntError(part));
      return d;
    }
    if (parsed->overflow) {
      // Python would carry the big int on; protobuf rejects it when the
      // custom is built. We reject it here, with protobuf's message.
      d.Error({}, "", field, fmt::format("Value out of range: {}", part));
      return d;
    }
    values.push_back(parsed->value);
  }
  return std::pair{values.front(), values.back()};
}

Result<PytorchElasticFunctionTask> PytorchElasticFunctionTask::Create(Elastic config,
                                                                      TaskDecorator decorator) {
  Diagnostics d = CheckDecorator(decorator);
  if (!d.ok()) return d;
  auto nodes = ParseMinMaxNNodes(config.nnodes);
  if (!nodes.ok()) return nodes.diagnostics();
  d.Append(MaybeIncreaseSharedMem(config.increase_shared_mem, kElasticField, &decorator));
  if (!d.ok()) return d;
  PytorchElasticFunctionTask task(std::move(config), std::move(decorator));
  task.min_nodes_ = nodes->first;
  task.max_nodes_ = nodes->second;
  return Result<PytorchElasticFunctionTask>(std::move(task), d);
}

Result<FunctionTask> CreateTask(TaskConfig config, TaskDecorator decorator) {
  if (auto* pytorch = std::get_if<PyTorch>(&config)) {
    auto task = PyTorchFunctionTask::Create(std::move(*pytorch), std::move(decorator));
    if (!task.ok()) return task.diagnostics();
    return Result<FunctionTask>(FunctionTask(std::move(task.value())), task.diagnostics());
  }
  auto task = PytorchElasticFunctionTask::Create(std::get<Elastic>(std::move(config)),
                                                 std::move(decorator));
  if (!task.ok()) return task.diagnostics();
  return Result<FunctionTask>(FunctionTask(std::move(task.value())), task.diagnostics());
}

}  // namespace ptsim::flyte
