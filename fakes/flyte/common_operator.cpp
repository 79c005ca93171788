#include "fakes/flyte/common_operator.hpp"

#include <fmt/format.h>

#include "fakes/flyte/pod_builder.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

Diagnostics Fail(const std::string& field, const std::string& message) {
  Diagnostics d;
  d.Error({}, "", field, message);
  return d;
}

json MapToJson(const std::map<std::string, std::string>& m) {
  json out = json::object();
  for (const auto& [k, v] : m)
    out[k] = v;
  return out;
}

void UnionInto(const std::map<std::string, std::string>& from,
               std::map<std::string, std::string>* to) {
  for (const auto& [k, v] : from)
    (*to)[k] = v;
}

}  // namespace

// ToReplicaSpec (common_operator.go): pod spec, primary container renamed to
// "pytorch", labels/annotations = plugin defaults + pod + execution.
Result<json> ToReplicaSpec(const json& tmpl, const TaskExecution& execution,
                           const ResourceRequirements& override_resources,
                           const PluginConfig& config) {
  auto pod = ToK8sPodSpec(tmpl, execution, override_resources, config);
  if (!pod.ok()) {
    Diagnostics d;
    for (const auto& item : pod.diagnostics().items()) {
      d.Error(item.where, item.object, item.field,
              BadTaskSpecification("Unable to create pod spec: [" + item.message + "]"));
    }
    return d;
  }
  for (auto& c : pod->pod_spec["containers"]) {  // OverridePrimaryContainerName
    if (c.value("name", "") == pod->primary_container_name) {
      c["name"] = kPyTorchJobDefaultContainerName;
      break;
    }
  }
  std::map<std::string, std::string> annotations = config.default_annotations;
  UnionInto(pod->annotations, &annotations);
  UnionInto(execution.annotations, &annotations);
  std::map<std::string, std::string> labels = config.default_labels;
  UnionInto(pod->labels, &labels);
  UnionInto(execution.labels, &labels);
  json metadata = json::object();
  if (!labels.empty()) metadata["labels"] = MapToJson(labels);
  if (!annotations.empty()) metadata["annotations"] = MapToJson(annotations);
  return json{{"replicas", 0},
              {"template", {{"metadata", metadata}, {"spec", pod->pod_spec}}},
              {"restartPolicy", "Never"}};
}

// ToReplicaSpecWithOverrides: `common` wins over the deprecated fields;
// non-empty replica resources replace the node's override resources.
Result<json> ToReplicaSpecWithOverrides(
    const json& tmpl, const TaskExecution& execution, const PluginConfig& config,
    const std::optional<idl::DistributedPyTorchTrainingReplicaSpec>& rs, bool is_master) {
  idl::CommonReplicaSpec fields;
  if (rs && rs->common) {
    fields = *rs->common;
  } else if (rs) {
    fields = {rs->replicas, rs->image, rs->resources, rs->restart_policy};
  }
  ResourceRequirements overrides = execution.override_resources;
  if (fields.resources &&
      (!fields.resources->limits.empty() || !fields.resources->requests.empty())) {
    auto converted = ToK8sResourceRequirements(*fields.resources);
    if (!converted.ok()) {
      // Upstream prints the shadowing, still empty, result variable here.
      return Fail(rs && rs->common ? "common.resources" : "resources",
                  BadTaskSpecification(fmt::format(
                      "invalid TaskSpecification on Resources [&{{map[] map[] []}}], Err: [{}]",
                      converted.diagnostics().items().front().message)));
    }
    // ApplyK8sResourceOverrides: platform defaulting with assignIfUnset.
    overrides = ApplyResourceOverrides(converted.value(), execution.platform_resources,
                                       config.resource_defaults, true);
  }
  auto spec = ToReplicaSpec(tmpl, execution, overrides, config);
  if (!spec.ok()) return spec;
  json& s = spec.value();
  if (is_master) s["replicas"] = 1;  // the master has a single replica
  OverrideContainerSpec(&s["template"]["spec"], std::string(kPyTorchJobDefaultContainerName),
                        fields.image, {});
  // ParseRestartPolicy: an unknown number maps to "", which the
  // PyTorchJob's JSON leaves out (restartPolicy is omitempty); the operator
  // then defaults it (OnFailure).
  const std::string_view restart_policy = KubeflowName(fields.restart_policy);
  if (restart_policy.empty()) {
    s.erase("restartPolicy");
  } else {
    s["restartPolicy"] = restart_policy;
  }
  if (!is_master) s["replicas"] = fields.replicas;
  return spec;
}

json ParseRunPolicy(const idl::RunPolicy& p) {
  // Always set, to "" for an unknown number (a non-nil pointer to "": the
  // operator keeps it and cleans up as for All).
  json out = {{"cleanPodPolicy", KubeflowName(p.clean_pod_policy)}};
  if (p.backoff_limit != 0) out["backoffLimit"] = p.backoff_limit;
  if (p.active_deadline_seconds != 0) {
    out["activeDeadlineSeconds"] = static_cast<int64_t>(p.active_deadline_seconds);
  }
  if (p.ttl_seconds_after_finished != 0)
    out["ttlSecondsAfterFinished"] = p.ttl_seconds_after_finished;
  return out;
}

json ParseElasticConfig(const idl::ElasticConfig& c) {
  return {{"minReplicas", c.min_replicas},
          {"maxReplicas", c.max_replicas},
          {"rdzvBackend", c.rdzv_backend},
          {"nProcPerNode", c.nproc_per_node},
          {"maxRestarts", c.max_restarts}};
}

void OverrideContainerSpec(json* pod_spec, const std::string& name, const std::string& image,
                           const std::vector<std::string>& args) {
  if (!pod_spec->contains("containers")) return;
  for (auto& c : (*pod_spec)["containers"]) {
    if (c.value("name", "") != name) continue;
    if (!image.empty()) c["image"] = image;
    if (!args.empty()) c["args"] = args;
  }
}

int32_t GetReplicaCount(const json& specs, const std::string& type) {
  if (!specs.is_object() || !specs.contains(type) || !specs[type].is_object()) return 0;
  return specs[type].value("replicas", 0);
}

}  // namespace ptsim::flyte
