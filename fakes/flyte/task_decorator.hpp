// The @task(...) arguments other than task_config that the PyTorch plugin
// reads or that end up in the serialized task template: container image,
// command, environment, task-level requests/limits, shared_memory,
// pod_template and accelerator (flytekit/core/python_auto_container.py,
// flytekit/core/resources.py construct_extended_resources).
//
// `command`/`args` replace flytekit's generated `pyflyte-execute ...` args:
// in ptsim the container runs what the user gives here. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "fakes/flyte/pod_template.hpp"
#include "fakes/flyte/resources.hpp"

namespace ptsim::flyte {

// flytekit.extras.accelerators: a device name, optionally a MIG partition
// size or an explicit "unpartitioned".
struct GpuAccelerator {
  std::string device{};
  std::optional<std::string> partition_size{};
  bool unpartitioned = false;
};

// The task's identity in the template (core.Identifier of resource type TASK).
struct TaskIdentifier {
  std::string project = "flytesnacks";
  std::string domain = "development";
  std::string name = "task";
  std::string version = "v1";
};

struct TaskDecorator {
  TaskIdentifier id{};
  std::string container_image{};
  std::vector<std::string> command{};
  std::vector<std::string> args{};
  std::vector<std::pair<std::string, std::string>> environment{};  // insertion order
  std::optional<Resources> requests{};
  std::optional<Resources> limits{};
  // shared_memory=True, or a size such as "2Gi"; False/None = unset.
  std::optional<std::variant<bool, std::string>> shared_memory{};
  std::optional<PodTemplate> pod_template{};
  std::optional<GpuAccelerator> accelerator{};
  // retries=N: TaskMetadata.retries (core.RetryStrategy{retries: N}); how
  // often flytepropeller retries a failed attempt (node_retry.hpp).
  std::optional<int64_t> retries{};
};

// True when flytekit's `self.shared_memory is False or self.shared_memory is
// None` holds, i.e. the plugin's deprecated increase_shared_mem may act.
bool SharedMemoryUnset(const TaskDecorator& decorator);

}  // namespace ptsim::flyte
