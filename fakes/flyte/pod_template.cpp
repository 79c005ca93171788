#include "fakes/flyte/pod_template.hpp"

namespace ptsim::flyte {

using nlohmann::json;

Diagnostics CheckPodTemplate(const PodTemplate& pod_template, const std::string& field) {
  Diagnostics d;
  if (pod_template.primary_container_name.empty()) {
    d.Error({}, "", field + ".primary_container_name",
            "A primary container name cannot be undefined");
  }
  return d;
}

Diagnostics AddSharedMemVolumeToPodTemplate(PodTemplate* pod_template, const std::string& field) {
  Diagnostics d;
  d.Warning({}, "", field, std::string(kSharedMemDeprecation));
  json& spec = pod_template->pod_spec;
  if (!spec.is_object()) spec = json::object();
  if (!spec.contains("containers") || spec["containers"].is_null()) {
    spec["containers"] = json::array();
  }
  if (!spec.contains("volumes") || spec["volumes"].is_null()) spec["volumes"] = json::array();
  spec["volumes"].push_back({{"name", "shm"}, {"emptyDir", {{"medium", "Memory"}}}});

  json& containers = spec["containers"];
  if (containers.size() >= 2) {
    d.Error({}, "", field,
            "When configuring a pod template with multiple containers, please set "
            "`increase_shared_mem=False` in the task config and if required mount a volume to "
            "increase the shared memory size in the respective container yourself.");
    return d;
  }
  // Upstream appends a container literally named "primary", whatever the
  // template's primary_container_name is.
  if (containers.size() != 1) containers.push_back({{"name", "primary"}});

  json& first = containers[0];
  if (!first.contains("volumeMounts") || first["volumeMounts"].is_null()) {
    first["volumeMounts"] = json::array();
  }
  for (const auto& mount : first["volumeMounts"]) {
    if (mount.is_object() && mount.value("mountPath", "") == "/dev/shm") {
      d.Error({}, "", field,
              "A shared memory volume mount is already configured in the pod template. Please "
              "remove the volume mount or set `increase_shared_mem=False` in the task config.");
      return d;
    }
  }
  first["volumeMounts"].push_back({{"name", "shm"}, {"mountPath", "/dev/shm"}});
  return d;
}

}  // namespace ptsim::flyte
