#include "fakes/flyte/pod_builder.hpp"

#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "fakes/flyte/idl_json.hpp"
#include "fakes/flyte/pod_customizations.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

constexpr char kPrimaryContainerKey[] = "primary_container_name";

Diagnostics Fail(const std::string& field, const std::string& message) {
  Diagnostics d;
  d.Error({}, "", field, message);
  return d;
}

// validation.IsDNS1123Label.
bool IsDns1123Label(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (char c : s) {
    if (!alnum(c) && c != '-') return false;
  }
  return alnum(s.front()) && alnum(s.back());
}

// Go's %v of a map[string]string: "map[k1:v1 k2:v2]" in key order.
std::string GoMap(const json& config) {
  std::string out = "map[";
  bool first = true;
  if (config.is_object()) {
    for (const auto& [k, v] : config.items()) {
      out += (first ? "" : " ") + k + ":" + (v.is_string() ? v.get<std::string>() : v.dump());
      first = false;
    }
  }
  return out + "]";
}

void MergeInto(const json& from, std::map<std::string, std::string>* to) {
  if (!from.is_object()) return;
  for (const auto& [k, v] : from.items()) {
    if (v.is_string()) (*to)[k] = v.get<std::string>();
  }
}

// BuildRawContainer (container_helper.go).
Result<json> BuildRawContainer(const json& task_container, const TaskExecution& execution,
                               const PluginConfig& config) {
  // The container is named like the pod unless that is no DNS-1123 label;
  // upstream then picks 4 random letters. The name is replaced by "pytorch"
  // right after, so a fixed stand-in changes nothing visible.
  std::string name = IsDns1123Label(execution.generated_name) ? execution.generated_name : "prim";
  auto idl_resources = UnmarshalResources(task_container.value("resources", json()));
  if (!idl_resources.ok()) {
    Diagnostics d;
    for (auto item : idl_resources.diagnostics().items()) {
      d.Error({}, "", "container.resources." + item.field, item.message);
    }
    return d;
  }
  auto resources = ToK8sResourceRequirements(idl_resources.value());
  if (!resources.ok()) {
    return Fail("container.resources", resources.diagnostics().items().front().message);
  }
  json container = {{"name", name},
                    {"image", task_container.value("image", "")},
                    {"terminationMessagePolicy", "FallbackToLogsOnError"}};
  for (const char* key : {"command", "args"}) {
    if (task_container.contains(key) && task_container[key].is_array() &&
        !task_container[key].empty()) {
      container[key] = task_container[key];
    }
  }
  json env = json::array();
  for (const auto& kv : task_container.value("env", json::array())) {
    json var = {{"name", kv.value("key", "")}};
    if (!kv.value("value", "").empty()) var["value"] = kv.value("value", "");
    env.push_back(var);
  }
  if (!env.empty()) container["env"] = env;
  container["resources"] = ResourceRequirementsToJson(resources.value());
  if (!config.image_pull_policy.empty()) container["imagePullPolicy"] = config.image_pull_policy;
  return container;
}

// BuildRawPod (pod_helper.go): the template's target decides the pod.
Result<PodBuild> BuildRawPod(const json& tmpl, const TaskExecution& execution,
                             const PluginConfig& config) {
  PodBuild b;
  const json* container =
      tmpl.contains("container") && tmpl["container"].is_object() ? &tmpl["container"] : nullptr;
  const json* pod =
      tmpl.contains("k8sPod") && tmpl["k8sPod"].is_object() ? &tmpl["k8sPod"] : nullptr;
  if (container != nullptr) {
    auto c = BuildRawContainer(*container, execution, config);
    if (!c.ok()) return c.diagnostics();
    b.primary_container_name = c->at("name").get<std::string>();
    b.pod_spec = {{"containers", json::array({c.value()})}};
    return b;
  }
  if (pod != nullptr) {
    const json spec = pod->value("podSpec", json());
    if (spec.is_null()) {
      return Fail("k8sPod.podSpec",
                  BadTaskSpecification("Pod tasks with task type version > 1 should specify their "
                                       "target as a K8sPod with a defined pod spec"));
    }
    if (!spec.is_object() || !spec.value("containers", json::array()).is_array()) {
      return Fail("k8sPod.podSpec",
                  BadTaskSpecification(fmt::format("Unable to unmarshal task k8s pod [{}], Err: "
                                                   "[the pod spec is not a V1PodSpec object]",
                                                   spec.dump())));
    }
    const json cfg = tmpl.value("config", json::object());
    if (!cfg.is_object() || !cfg.contains(kPrimaryContainerKey) ||
        !cfg[kPrimaryContainerKey].is_string()) {
      return Fail("config", BadTaskSpecification(fmt::format(
                                "invalid TaskSpecification, config missing [{}] key in [{}]",
                                kPrimaryContainerKey, GoMap(cfg))));
    }
    b.primary_container_name = cfg[kPrimaryContainerKey].get<std::string>();
    b.pod_spec = spec;
    if (!b.pod_spec.contains("containers")) b.pod_spec["containers"] = json::array();
    // Go's omitempty drops the empty lists flytekit serializes ("command": []).
    for (auto& c : b.pod_spec["containers"]) {
      for (const char* key : {"command", "args", "env"}) {
        if (c.is_object() && c.contains(key) && c[key].is_array() && c[key].empty()) c.erase(key);
      }
    }
    const json meta = pod->value("metadata", json::object());
    if (meta.is_object()) {
      MergeInto(meta.value("annotations", json()), &b.annotations);
      MergeInto(meta.value("labels", json()), &b.labels);
    }
    return b;
  }
  return Fail(
      "", BadTaskSpecification("invalid TaskSpecification, unable to determine Pod configuration"));
}

// AddFlyteCustomizationsToContainer for one container: env decoration, then
// resources by mode (MergeExistingResources for the primary and init
// containers, EnsureExistingResourcesInRange for the others).
Result<ResourceRequirements> Customize(const json& tmpl, const TaskExecution& execution,
                                       const ResourceRequirements& overrides,
                                       const PluginConfig& config, bool merge_existing,
                                       const std::string& field, json* container) {
  DecorateEnvVars(execution, tmpl, config, container);
  auto parsed = ResourceRequirementsFromJson(container->value("resources", json()), field);
  if (!parsed.ok()) return parsed.diagnostics();
  ResourceRequirements resources = parsed.value();
  SanitizeGpuResourceRequirements(config.resource_defaults.gpu_resource_name, &resources);
  if (merge_existing) MergeResources(overrides, &resources);
  resources = ApplyResourceOverrides(resources, execution.platform_resources,
                                     config.resource_defaults, merge_existing);
  (*container)["resources"] = ResourceRequirementsToJson(resources);
  return resources;
}

}  // namespace

std::string BadTaskSpecification(const std::string& message) {
  return "[BadTaskSpecification] " + message;
}

Result<PodBuild> ToK8sPodSpec(const json& tmpl, const TaskExecution& execution,
                              const ResourceRequirements& override_resources,
                              const PluginConfig& config) {
  auto raw = BuildRawPod(tmpl, execution, config);
  if (!raw.ok()) return raw;
  PodBuild b = raw.value();
  json& spec = b.pod_spec;

  // ApplyFlytePodConfiguration: init containers first, then containers.
  if (spec.contains("initContainers") && spec["initContainers"].is_array()) {
    for (size_t i = 0; i < spec["initContainers"].size(); ++i) {
      auto r = Customize(tmpl, execution, override_resources, config, true,
                         fmt::format("k8sPod.podSpec.initContainers[{}].resources", i),
                         &spec["initContainers"][i]);
      if (!r.ok()) return r.diagnostics();
    }
  }
  std::vector<ResourceRequirements> requested;
  bool found_primary = false;
  for (size_t i = 0; i < spec["containers"].size(); ++i) {
    json& c = spec["containers"][i];
    bool primary = c.value("name", "") == b.primary_container_name;
    found_primary = found_primary || primary;
    auto r = Customize(tmpl, execution, override_resources, config, primary,
                       fmt::format("k8sPod.podSpec.containers[{}].resources", i), &c);
    if (!r.ok()) return r.diagnostics();
    requested.push_back(r.value());
  }
  if (!found_primary) {
    return Fail("", BadTaskSpecification(
                        fmt::format("invalid TaskSpecification, primary container [{}] not defined",
                                    b.primary_container_name)));
  }
  UpdatePod(execution, config, requested, &spec);

  // Extended resources: the node override replaces each field of the
  // template's (applyExtendedResourcesOverrides).
  json extended = tmpl.value("extendedResources", json::object());
  if (!extended.is_object()) extended = json::object();
  if (execution.override_extended_resources && execution.override_extended_resources->is_object()) {
    for (const char* key : {"gpuAccelerator", "sharedMemory"}) {
      if (execution.override_extended_resources->contains(key)) {
        extended[key] = (*execution.override_extended_resources)[key];
      }
    }
  }
  if (extended.contains("gpuAccelerator") && extended["gpuAccelerator"].is_object()) {
    ApplyGpuNodeSelectors(extended["gpuAccelerator"], config, &spec);
  }
  if (extended.contains("sharedMemory") && extended["sharedMemory"].is_object()) {
    Diagnostics d = ApplySharedMemory(extended["sharedMemory"], b.primary_container_name, &spec);
    if (!d.ok()) return d;
  }
  // ApplyContainerImageOverride.
  if (!execution.override_container_image.empty()) {
    for (auto& c : spec["containers"]) {
      if (c.value("name", "") == b.primary_container_name) {
        c["image"] = execution.override_container_image;
        break;
      }
    }
  }
  AddTolerationsForExtendedResources(config, &spec);
  return b;
}

}  // namespace ptsim::flyte
