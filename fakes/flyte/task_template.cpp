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

// _serialize_pod_spec (flytekit/core/utils.py).
json SerializePodSpec(const PodTemplate& pod_template, const TaskDecorator& d,
                      const idl::Resources& resources) {
  json spec = pod_template.pod_spec;
  json& containers = spec["containers"];
  if (!containers.is_array()) containers = json::array();
  bool primary_exists = false;
  for (const auto& c : containers) {
    primary_exists = primary_exists || c.value("name", "") == pod_template.primary_container_name;
  }
  if (!primary_exists) containers.push_back({{"name", pod_template.primary_container_name}});
  for (auto& c : containers) {
    if (c.value("name", "") != pod_template.primary_container_name) continue;
    if (!c.contains("image") || c["image"].is_null()) c["image"] = d.container_image;
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
  auto serialized = Serialize(task);
  if (!serialized.ok()) return serialized.diagnostics();
  const TaskDecorator& d =
      std::visit([](const auto& t) -> const TaskDecorator& { return t.decorator(); }, task);
  auto resources = ToResourceModel(d.requests, d.limits, "task");
  if (!resources.ok()) return resources.diagnostics();

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
    tmpl["k8sPod"] = {{"podSpec", SerializePodSpec(*d.pod_template, d, resources.value())},
                      {"metadata", metadata}};
    tmpl["config"] = {{"primary_container_name", d.pod_template->primary_container_name}};
  } else {
    json container = {{"image", d.container_image}};
    if (!d.command.empty()) container["command"] = Strings(d.command);
    if (!d.args.empty()) container["args"] = Strings(d.args);
    json env = json::array();
    for (const auto& [k, v] : d.environment)
      env.push_back({{"key", k}, {"value", v}});
    if (!env.empty()) container["env"] = env;
    container["resources"] = MessageToDict(resources.value());
    tmpl["container"] = container;
  }
  // TaskMetadata: only its retry strategy matters to ptsim (MessageToDict
  // leaves a zero count out: {"retries": {}}).
  if (d.retries) {
    tmpl["metadata"] = {
        {"retries", *d.retries == 0 ? json::object() : json{{"retries", *d.retries}}}};
  }
  json extended = ExtendedResources(d);
  if (!extended.empty()) tmpl["extendedResources"] = extended;
  return tmpl;
}

}  // namespace ptsim::flyte
