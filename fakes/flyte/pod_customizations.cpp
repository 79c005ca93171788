#include "fakes/flyte/pod_customizations.hpp"

#include <set>

#include <fmt/format.h>

#include "fakes/flyte/pod_builder.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

json& ArrayAt(json* object, const char* key) {
  json& v = (*object)[key];
  if (!v.is_array()) v = json::array();
  return v;
}

void AddEnv(json* container, const std::string& name, const std::string& value) {
  json var = {{"name", name}};
  if (!value.empty()) var["value"] = value;
  ArrayAt(container, "env").push_back(var);
}

// AddRequiredNodeSelectorRequirements: AND the requirement into every
// existing term, or start the first term.
void AddRequiredNodeSelectorRequirement(const json& requirement, json* pod_spec) {
  json& affinity = (*pod_spec)["affinity"];
  if (!affinity.is_object()) affinity = json::object();
  json& terms = affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                        ["nodeSelectorTerms"];
  if (terms.is_array() && !terms.empty()) {
    for (auto& term : terms)
      ArrayAt(&term, "matchExpressions").push_back(requirement);
  } else {
    terms = json::array({{{"matchExpressions", json::array({requirement})}}});
  }
}

bool ContainerUses(const json& container, const std::string& list, const std::string& name) {
  return container.contains("resources") && container["resources"].is_object() &&
         container["resources"].contains(list) && container["resources"][list].is_object() &&
         container["resources"][list].contains(name);
}

// Toleration.MatchToleration: same key, effect, operator and value.
bool SameToleration(const json& a, const json& b) {
  for (const char* k : {"key", "effect", "operator", "value"}) {
    if (a.value(k, "") != b.value(k, "")) return false;
  }
  return true;
}

}  // namespace

void DecorateEnvVars(const TaskExecution& execution, const json& task_template,
                     const PluginConfig& config, json* container) {
  // GetExecutionEnvVars.
  AddEnv(container, "FLYTE_INTERNAL_EXECUTION_ID", execution.execution_id.name);
  AddEnv(container, "FLYTE_INTERNAL_EXECUTION_PROJECT", execution.execution_id.project);
  AddEnv(container, "FLYTE_INTERNAL_EXECUTION_DOMAIN", execution.execution_id.domain);
  AddEnv(container, "FLYTE_ATTEMPT_NUMBER", std::to_string(execution.retry_attempt));
  const json id = task_template.is_object() ? task_template.value("id", json()) : json();
  if (id.is_object()) {
    AddEnv(container, "FLYTE_INTERNAL_TASK_PROJECT", id.value("project", ""));
    AddEnv(container, "FLYTE_INTERNAL_TASK_DOMAIN", id.value("domain", ""));
    AddEnv(container, "FLYTE_INTERNAL_TASK_NAME", id.value("name", ""));
    AddEnv(container, "FLYTE_INTERNAL_TASK_VERSION", id.value("version", ""));
  }
  for (const auto& [k, v] : execution.environment_variables)
    AddEnv(container, k, v);
  for (const auto& [k, v] : config.default_env_vars)
    AddEnv(container, k, v);
}

void UpdatePod(const TaskExecution& execution, const PluginConfig& config,
               const std::vector<ResourceRequirements>& container_resources, json* pod_spec) {
  json& spec = *pod_spec;
  if (spec.value("restartPolicy", "").empty()) spec["restartPolicy"] = "Never";

  // GetPodTolerations: per requested resource, interruptible, defaults; then
  // the pod's own tolerations after them.
  std::set<std::string> names;
  for (const auto& r : container_resources) {
    for (const auto& [name, q] : r.limits)
      names.insert(name);
    for (const auto& [name, q] : r.requests)
      names.insert(name);
  }
  json tolerations = json::array();
  for (const auto& name : names) {
    auto it = config.resource_tolerations.find(name);
    if (it == config.resource_tolerations.end()) continue;
    for (const auto& t : it->second)
      tolerations.push_back(t);
  }
  if (execution.interruptible) {
    for (const auto& t : config.interruptible_tolerations)
      tolerations.push_back(t);
  }
  for (const auto& t : config.default_tolerations)
    tolerations.push_back(t);
  if (spec.contains("tolerations") && spec["tolerations"].is_array()) {
    for (const auto& t : spec["tolerations"])
      tolerations.push_back(t);
  }
  if (tolerations.empty()) {
    spec.erase("tolerations");
  } else {
    spec["tolerations"] = tolerations;
  }

  if (spec.value("serviceAccountName", "").empty() && !execution.service_account.empty()) {
    spec["serviceAccountName"] = execution.service_account;
  }
  if (spec.value("schedulerName", "").empty() && !config.scheduler_name.empty()) {
    spec["schedulerName"] = config.scheduler_name;
  }
  json selector = json::object();
  for (const auto& [k, v] : config.default_node_selector)
    selector[k] = v;
  if (spec.contains("nodeSelector") && spec["nodeSelector"].is_object()) {
    selector.update(spec["nodeSelector"]);
  }
  if (execution.interruptible) {
    for (const auto& [k, v] : config.interruptible_node_selector)
      selector[k] = v;
  }
  if (selector.empty()) {
    spec.erase("nodeSelector");
  } else {
    spec["nodeSelector"] = selector;
  }
  // ApplyInterruptibleNodeAffinity: the affinity always exists afterwards.
  if (!spec.contains("affinity") || !spec["affinity"].is_object())
    spec["affinity"] = json::object();
  const auto& requirement = execution.interruptible
                                ? config.interruptible_node_selector_requirement
                                : config.non_interruptible_node_selector_requirement;
  if (requirement) AddRequiredNodeSelectorRequirement(*requirement, pod_spec);
}

void ApplyGpuNodeSelectors(const json& accelerator, const PluginConfig& config, json* pod_spec) {
  const std::string& gpu = config.resource_defaults.gpu_resource_name;
  bool requires_gpus = false;
  for (const auto& c : ArrayAt(pod_spec, "containers")) {
    requires_gpus = requires_gpus || ContainerUses(c, "limits", gpu);
  }
  if (!requires_gpus) return;
  json& affinity = (*pod_spec)["affinity"];
  if (!affinity.is_object()) affinity = json::object();

  std::string device = accelerator.value("device", "");
  if (!device.empty()) {
    AddRequiredNodeSelectorRequirement(
        {{"key", config.gpu_device_node_label}, {"operator", "In"}, {"values", {device}}},
        pod_spec);
    ArrayAt(pod_spec, "tolerations")
        .push_back({{"key", config.gpu_device_node_label},
                    {"operator", "Equal"},
                    {"value", device},
                    {"effect", "NoSchedule"}});
  }
  const std::string& label = config.gpu_partition_size_node_label;
  if (accelerator.contains("partitionSize") && accelerator["partitionSize"].is_string()) {
    std::string size = accelerator["partitionSize"].get<std::string>();
    AddRequiredNodeSelectorRequirement({{"key", label}, {"operator", "In"}, {"values", {size}}},
                                       pod_spec);
    ArrayAt(pod_spec, "tolerations")
        .push_back(
            {{"key", label}, {"operator", "Equal"}, {"value", size}, {"effect", "NoSchedule"}});
  } else if (accelerator.value("unpartitioned", false)) {
    // No GpuUnpartitioned{NodeSelectorRequirement,Toleration} config modelled:
    // the default requirement is "partition label does not exist".
    AddRequiredNodeSelectorRequirement({{"key", label}, {"operator", "DoesNotExist"}}, pod_spec);
  }
}

Diagnostics ApplySharedMemory(const json& shared_memory, const std::string& primary_container_name,
                              json* pod_spec) {
  Diagnostics d;
  auto fail = [&](const std::string& message) {
    d.Error({}, "", "extendedResources.sharedMemory", BadTaskSpecification(message));
    return d;
  };
  std::string name = shared_memory.value("mountName", "");
  std::string path = shared_memory.value("mountPath", "");
  if (name.empty()) return fail("mount name is not set");
  if (path.empty()) return fail("mount path is not set");
  json* primary = nullptr;
  for (auto& c : ArrayAt(pod_spec, "containers")) {
    if (c.value("name", "") == primary_container_name) primary = &c;
  }
  if (primary == nullptr) return fail("Unable to find primary container");
  for (const auto& v : ArrayAt(pod_spec, "volumes")) {
    if (v.value("name", "") == name) {
      return fail(fmt::format("A volume is already named {} in pod spec", name));
    }
  }
  for (const auto& m : ArrayAt(primary, "volumeMounts")) {
    if (m.value("name", "") == name) {
      return fail(fmt::format("A volume is already named {} in container", name));
    }
    if (m.value("mountPath", "") == path) {
      return fail(fmt::format("{} is already mounted in container", path));
    }
  }
  json empty_dir = {{"medium", "Memory"}};
  // The size limit pointer is always set, to a zero quantity when unsized.
  std::string size = shared_memory.value("sizeLimit", "");
  Quantity limit;
  if (!size.empty()) {
    auto q = Quantity::Parse(size);
    if (!q.ok()) {
      return fail("Unable to parse size limit: " + q.diagnostics().items().front().message);
    }
    limit = q.value();
  }
  empty_dir["sizeLimit"] = limit.String();
  ArrayAt(pod_spec, "volumes").push_back({{"name", name}, {"emptyDir", empty_dir}});
  ArrayAt(primary, "volumeMounts").push_back({{"name", name}, {"mountPath", path}});
  return d;
}

void AddTolerationsForExtendedResources(const PluginConfig& config, json* pod_spec) {
  std::set<std::string> resources;
  for (const char* list : {"containers", "initContainers"}) {
    if (!pod_spec->contains(list) || !(*pod_spec)[list].is_array()) continue;
    for (const auto& c : (*pod_spec)[list]) {
      for (const auto& name : config.add_tolerations_for_extended_resources) {
        if (ContainerUses(c, "requests", name)) resources.insert(name);
      }
    }
  }
  for (const auto& name : resources) {
    json toleration = {{"key", name}, {"operator", "Exists"}, {"effect", "NoSchedule"}};
    json& tolerations = ArrayAt(pod_spec, "tolerations");
    bool present = false;
    for (const auto& t : tolerations)
      present = present || SameToleration(t, toleration);
    if (!present) tolerations.push_back(toleration);
  }
}

}  // namespace ptsim::flyte
