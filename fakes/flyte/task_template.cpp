#include "fakes/flyte/task_template.hpp"

#include <cctype>

#include "fakes/flyte/custom.hpp"
#include "fakes/flyte/idl_json.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

// _sanitize_resource_name: the enum name lower-cased, "_" -> "-".
std::string SanitizedName(idl::ResourceName name) {
  std::string out(idl::ProtoName(name));
  for (char& c : out)
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

json Strings(const std::vector<std::string>& v) {
  json out = json::array();
  for (const auto& s : v)
    out.push_back(s);
  return out;
}

// get_registerable_container_image (flytekit/core/python_auto_container.py)
// for an image without placeholders: the image itself, or, when it is None
// or "", the serialization's default image.
std::string RegistrableImage(const json& image) {
  if (image.is_string() && !image.get<std::string>().empty()) return image.get<std::string>();
  return kFlytekitDefaultImage;
}

// _serialize_pod_spec (flytekit/core/utils.py).
json SerializePodSpec(const PodTemplate& pod_template, const TaskDecorator& d,
                      const std::string& task_image, const idl::Resources& resources) {
  json spec = pod_template.pod_spec;
  json& containers = spec["containers"];
  if (!containers.is_array()) containers = json::array();
  bool primary_exists = false;
  for (const auto& c : containers) {
    primary_exists = primary_exists || c.value("name", "") == pod_template.primary_container_name;
  }
  if (!primary_exists) containers.push_back({{"name", pod_template.primary_container_name}});
  for (auto& c : containers) {
    const json image = c.value("image", json());
    if (c.value("name", "") != pod_template.primary_container_name) {
      // Every other container: its image, resolved; a container without one
      // gets the default image.
      if (c.is_object()) c["image"] = RegistrableImage(image);
      continue;
    }
    // The primary container keeps its own image (resolved) and takes the
    // task's image only when it has none at all.
    c["image"] = image.is_null() ? task_image : RegistrableImage(image);
    c["command"] = Strings(d.command);
    c["args"] = Strings(d.args);
    json limits = json::object(), requests = json::object();
    for (const auto& e : resources.limits)
      limits[SanitizedName(e.name)] = e.value;
    for (const auto& e : resources.requests)
      requests[SanitizedName(e.name)] = e.value;
    if (!limits.empty() || !requests.empty()) {
      c["resources"] = {{"limits", limits}, {"requests", requests}};
    }
    json env = json::array();
    for (const auto& [k, v] : d.environment)
      env.push_back({{"name", k}, {"value", v}});
    if (c.contains("env") && c["env"].is_array()) {
      for (const auto& e : c["env"])
        env.push_back(e);
    }
    c["env"] = env;
  }
  return spec;
}

// construct_extended_resources: accelerator and shared memory.
json ExtendedResources(const TaskDecorator& d) {
  json out = json::object();
  if (d.accelerator) {
    json a = {{"device", d.accelerator->device}};
    if (d.accelerator->partition_size) {
      a["partitionSize"] = *d.accelerator->partition_size;
    } else if (d.accelerator->unpartitioned) {
      a["unpartitioned"] = true;
    }
    out["gpuAccelerator"] = a;
  }
  if (!SharedMemoryUnset(d)) {
    json shm = {{"mountName", "flyte-shared-memory"}, {"mountPath", "/dev/shm"}};
    if (const auto* size = std::get_if<std::string>(&*d.shared_memory)) shm["sizeLimit"] = *size;
    out["sharedMemory"] = shm;
  }
  return out;
}

}  // namespace

Result<json> BuildTaskTemplate(const FunctionTask& task) {
  const TaskDecorator& d =
      std::visit([](const auto& t) -> const TaskDecorator& { return t.decorator(); }, task);
  // get_serializable_task builds the container (get_container or
  // get_k8s_pod) before the custom (get_custom): a bad task-level resource
  // is reported before a bad replica resource.
  auto resources = ToContainerResourceModel(d.requests, d.limits, "task");
  if (!resources.ok()) return resources.diagnostics();
  auto serialized = Serialize(task);
  if (!serialized.ok()) return serialized.diagnostics();
  // get_image: the task's container_image, else the default image.
  const std::string image = RegistrableImage(json(d.container_image));

  json tmpl = {{"id",
                {{"resourceType", "TASK"},
                 {"project", d.id.project},
                 {"domain", d.id.domain},
                 {"name", d.id.name},
                 {"version", d.id.version}}},
               {"type", serialized->type},
               {"taskTypeVersion", serialized->version}};
  if (serialized->custom) tmpl["custom"] = *serialized->custom;
  if (d.pod_template) {
    json metadata = json::object();
    if (d.pod_template->labels) metadata["labels"] = *d.pod_template->labels;
    if (d.pod_template->annotations) metadata["annotations"] = *d.pod_template->annotations;
    tmpl["k8sPod"] = {{"podSpec", SerializePodSpec(*d.pod_template, d, image, resources.value())},
                      {"metadata", metadata}};
    tmpl["config"] = {{"primary_container_name", d.pod_template->primary_container_name}};
  } else {
    json container = {{"image", image}};
    if (!d.command.empty()) container["command"] = Strings(d.command);
    if (!d.args.empty()) container["args"] = Strings(d.args);
    json env = json::array();
    for (const auto& [k, v] : d.environment)
      env.push_back({{"key", k}, {"value", v}});
    if (!env.empty()) container["env"] = env;
    container["resources"] = MessageToDict(resources.value());
    tmpl["container"] = container;
  }
  // TaskMetadata: only its retry strategy and its Kubernetes metadata matter
  // to ptsim (MessageToDict leaves a zero count out: {"retries": {}}).
  if (d.retries) {
    tmpl["metadata"]["retries"] = *d.retries == 0 ? json::object() : json{{"retries", *d.retries}};
  }
  if (d.labels || d.annotations) {
    json k8s = json::object();
    if (d.labels && !d.labels->empty()) k8s["labels"] = *d.labels;
    if (d.annotations && !d.annotations->empty()) k8s["annotations"] = *d.annotations;
    tmpl["metadata"]["metadata"] = k8s;
  }
  json extended = ExtendedResources(d);
  if (!extended.empty()) tmpl["extendedResources"] = extended;
  return tmpl;
}

}  // namespace ptsim::flyte
