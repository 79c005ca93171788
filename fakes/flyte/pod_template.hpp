// flytekit's PodTemplate (flytekit/core/pod_template.py) and the plugin's
// shared-memory side effect on it (kfpytorch/pod_template.py
// add_shared_mem_volume_to_pod_template).
//
// The pod spec is held in its Kubernetes JSON form (camelCase keys, the shape
// the kubernetes client's sanitize_for_serialization produces), so whatever a
// user writes in a YAML pod template travels unchanged. The shared-memory step
// appends volume {name: shm, emptyDir: {medium: Memory}} and mount
// {name: shm, mountPath: /dev/shm} to the first container, with flytekit's
// warning and errors. Plain data; any thread.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

struct PodTemplate {
  // A V1PodSpec; PodTemplate() gives V1PodSpec(containers=[]).
  nlohmann::json pod_spec = {{"containers", nlohmann::json::array()}};
  std::string primary_container_name = "primary";
  std::optional<std::map<std::string, std::string>> labels{};
  std::optional<std::map<std::string, std::string>> annotations{};
};

// PodTemplate.__post_init__: "A primary container name cannot be undefined"
// when primary_container_name is empty.
Diagnostics CheckPodTemplate(const PodTemplate& pod_template, const std::string& field);

// The deprecation warning flytekit emits every time it adds the volume.
inline constexpr std::string_view kSharedMemDeprecation =
    "Configuring shared memory via `@task(task_config=Elastic(..., increase_shared_mem=True))` or "
    "`PyTorch(..., increase_shared_mem=True)` is deprecated. Use `@task(shared_memory=True)` "
    "instead.";

// add_shared_mem_volume_to_pod_template. Always returns the deprecation
// warning; errors (exact flytekit ValueError texts) when the spec has two or
// more containers, or when its first container already mounts /dev/shm. As
// upstream, the volume is appended before those checks.
Diagnostics AddSharedMemVolumeToPodTemplate(PodTemplate* pod_template, const std::string& field);

}  // namespace ptsim::flyte
