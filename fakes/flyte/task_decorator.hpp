// The @task(...) arguments other than task_config that the PyTorch plugin
// reads or that end up in the serialized task template: container image,
// command, environment, task-level requests/limits, shared_memory,
// pod_template, accelerator, retries, and (flytekit >= 1.16.2, flytekit#3243)
// labels and annotations (flytekit/core/python_auto_container.py,
// flytekit/core/resources.py construct_extended_resources,
// flytekit/core/base_task.py TaskMetadata).
//
// `command`/`args` replace flytekit's generated `pyflyte-execute ...` args:
// in ptsim the container runs what the user gives here. Plain data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "fakes/flyte/pod_template.hpp"
#include "fakes/flyte/resources.hpp"

namespace ptsim::flyte {

// The serialization's default image (flytekit's DefaultImages, as `pyflyte
// register` uses it without --image): the image of a task without
// container_image, and of a pod-template container without one
// (get_registerable_container_image).
inline constexpr char kFlytekitDefaultImage[] = "cr.flyte.org/flyteorg/flytekit:py3.11-latest";

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
  // labels=/annotations=: TaskMetadata.metadata (core.K8sObjectMetadata);
  // flytepropeller puts them on the object it creates (the PyTorchJob, or
  // the pod of a python-task), not on the job's pods.
  std::optional<std::map<std::string, std::string>> labels{};
  std::optional<std::map<std::string, std::string>> annotations{};
};

// True when flytekit's `self.shared_memory is False or self.shared_memory is
// None` holds, i.e. the plugin's deprecated increase_shared_mem may act.
bool SharedMemoryUnset(const TaskDecorator& decorator);

}  // namespace ptsim::flyte
