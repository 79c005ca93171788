#include "fakes/flyte/job_builder.hpp"

#include <cctype>

#include <fmt/format.h>

#include "fakes/flyte/common_operator.hpp"
#include "fakes/flyte/idl_json.hpp"
#include "fakes/flyte/pod_builder.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

Diagnostics Fail(const std::string& field, const std::string& message) {
  Diagnostics d;
  d.Error({}, "", field, message);
  return d;
}

// Re-wraps the (single) error of `inner` as "<prefix>[<inner message>]".
// A field relative to a replica spec (`resources`, `common...`) is placed
// under `replica_field` (e.g. "custom.workerReplicas").
Diagnostics Wrap(const Diagnostics& inner, const std::string& prefix,
                 const std::string& replica_field = "") {
  Diagnostics d;
  for (const auto& item : inner.items()) {
    std::string field = item.field;
    const bool relative = field.rfind("resources", 0) == 0 || field.rfind("common", 0) == 0;
    if (!replica_field.empty() && relative) field = replica_field + "." + field;
    d.Error(item.where, item.object, field,
            BadTaskSpecification(prefix + "[" + item.message + "]"));
  }
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

// The env vars BuildResource appends to the worker's first container.
void AddWorkerEnvVars(const PluginConfig& config, json* worker_spec) {
  json& containers = (*worker_spec)["template"]["spec"]["containers"];
  if (!containers.is_array() || containers.empty()) return;
  json& env = containers[0]["env"];
  if (!env.is_array()) env = json::array();
  env.push_back({{"name", "_F_WN"},  // FLYTE_INTERNAL_WORKER_NAME
                 {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.name"}}}}}});
  if (config.enable_distributed_error_aggregation) {
    env.push_back({{"name", "_F_DES"}, {"value", "Earliest"}});  // ..._DIST_ERROR_STRATEGY
  }
}

// ConvertToDNS1123SubdomainCompatibleString (utils/dns.go), without the
// hashed truncation of names over 253 characters.
std::string Dns1123Subdomain(const std::string& name) {
  auto valid_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  };
  bool valid = !name.empty() && name.size() <= 253 &&
               std::isalnum(static_cast<unsigned char>(name.front())) &&
               std::isalnum(static_cast<unsigned char>(name.back()));
  for (char c : name)
    valid = valid && valid_char(c);
  if (valid) return name;
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool lower_before = i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) ||
                                  std::isdigit(static_cast<unsigned char>(name[i - 1])));
    if (std::isupper(static_cast<unsigned char>(c)) && lower_before) out += '-';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (valid_char(c)) out += c;
  }
  size_t b = out.find_first_not_of(".-");
  size_t e = out.find_last_not_of(".-");
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

// Warnings for enum numbers jsonpb accepted but that name no policy: what
// flytepropeller makes of them is legal, but rarely what was meant.
Diagnostics UnknownEnumWarnings(const idl::DistributedPyTorchTrainingTask& task) {
  Diagnostics d;
  for (const auto& [field, replica] : {std::pair{"custom.workerReplicas", &task.worker_replicas},
                                       std::pair{"custom.masterReplicas", &task.master_replicas}}) {
    if (!*replica) continue;
    const bool common = (*replica)->common.has_value();
    const RestartPolicy policy =
        common ? (*replica)->common->restart_policy : (*replica)->restart_policy;
    if (IsKnown(policy)) continue;
    d.Warning({}, "", std::string(field) + (common ? ".common" : "") + ".restartPolicy",
              fmt::format("{} is no flyteidl.plugins.RestartPolicy: flytepropeller's "
                          "ParseRestartPolicy maps it to \"\", so the replica spec has no "
                          "restartPolicy and the training-operator defaults it to OnFailure",
                          static_cast<int32_t>(policy)));
  }
  if (task.run_policy && !IsKnown(task.run_policy->clean_pod_policy)) {
    d.Warning({}, "", "custom.runPolicy.cleanPodPolicy",
              fmt::format("{} is no flyteidl.plugins.kubeflow.CleanPodPolicy: flytepropeller's "
                          "ParseCleanPodPolicy maps it to \"\", which the training-operator "
                          "keeps and treats like All (every pod is deleted when the job ends)",
                          static_cast<int32_t>(task.run_policy->clean_pod_policy)));
  }
  return d;
}

}  // namespace

std::string ErrorAggregationStrategy(const PluginConfig& config) {
  return config.enable_distributed_error_aggregation ? "Earliest" : "";
}

json ObjectMetadata(const json& tmpl, const TaskExecution& execution, const PluginConfig& config,
                    const json& object_metadata) {
  // UnionMaps(default, the object's own, the template's k8s metadata, the
  // execution's): later ones win.
  const json k8s_meta = tmpl.value("metadata", json::object()).is_object()
                            ? tmpl.value("metadata", json::object()).value("metadata", json())
                            : json();
  std::map<std::string, std::string> annotations = config.default_annotations;
  std::map<std::string, std::string> labels = config.default_labels;
  auto merge = [&](const json& meta, const char* key, std::map<std::string, std::string>* to) {
    if (!meta.is_object()) return;
    const json from = meta.value(key, json::object());
    if (!from.is_object()) return;
    for (const auto& [k, v] : from.items()) {
      if (v.is_string()) (*to)[k] = v.get<std::string>();
    }
  };
  merge(object_metadata, "annotations", &annotations);
  merge(object_metadata, "labels", &labels);
  merge(k8s_meta, "annotations", &annotations);
  merge(k8s_meta, "labels", &labels);
  UnionInto(execution.annotations, &annotations);
  UnionInto(execution.labels, &labels);
  json metadata = {{"name", Dns1123Subdomain(execution.generated_name)},
                   {"namespace", execution.k8s_namespace}};
  if (!labels.empty()) metadata["labels"] = MapToJson(labels);
  if (!annotations.empty()) metadata["annotations"] = MapToJson(annotations);
  if (execution.owner_reference)
    metadata["ownerReferences"] = json::array({*execution.owner_reference});
  return metadata;
}

Result<json> BuildPyTorchJob(const json& tmpl, const TaskExecution& execution,
                             const PluginConfig& config) {
  if (!tmpl.is_object()) return Fail("", BadTaskSpecification("nil task specification"));
  // ptsim's own guard: BuildResource never looks at the type, but an Elastic
  // task with nnodes 1 is a "python-task" that propeller hands to the pod
  // plugin, so asking for its PyTorchJob is a mistake worth naming.
  std::string type = tmpl.value("type", std::string());
  if (type == "python-task") {
    return Fail("type", fmt::format("task type \"{}\" is not handled by the pytorch plugin; "
                                    "flytepropeller runs it as a plain pod, not a PyTorchJob",
                                    type));
  }
  const json custom = tmpl.value("custom", json());
  std::string custom_text = custom.is_null() ? "<nil>" : custom.dump();
  auto invalid = [&](const Diagnostics& inner) {
    std::string err = custom.is_null()
                          ? "nil Struct Object passed"
                          : inner.items().front().field + ": " + inner.items().front().message;
    // The diagnostic points at the field that did not decode (the message
    // keeps flytepropeller's text).
    const std::string field = custom.is_null() || inner.items().front().field.empty()
                                  ? std::string("custom")
                                  : "custom." + inner.items().front().field;
    return Fail(field, BadTaskSpecification(fmt::format("invalid TaskSpecification [{}], Err: [{}]",
                                                        custom_text, err)));
  };
  json version_json = tmpl.value("taskTypeVersion", json(0));
  int64_t version = version_json.is_number_integer() ? version_json.get<int64_t>() : -1;

  // BuildResource (kfoperators/pytorch/pytorch.go), by task type version.
  Diagnostics warnings;
  json run_policy = json::object();  // RunPolicy{}: every field nil
  std::optional<json> elastic_policy;
  json master, worker;
  if (version == 0) {
    // Legacy {"workers": N}: one replica spec, copied for master and workers.
    if (custom.is_null()) return invalid({});
    auto task = UnmarshalLegacyTrainingTask(custom);
    if (!task.ok()) return invalid(task.diagnostics());
    auto replica = ToReplicaSpec(tmpl, execution, execution.override_resources, config);
    if (!replica.ok()) return Wrap(replica.diagnostics(), "Unable to create replica spec: ");
    master = worker = replica.value();
    master["replicas"] = 1;
    worker["replicas"] = task->workers;
    if (task->elastic_config) elastic_policy = ParseElasticConfig(*task->elastic_config);
  } else if (version == 1) {
    // Per-replica overrides; only the worker gets the error-aggregation env.
    if (custom.is_null()) return invalid({});
    auto task = UnmarshalTrainingTask(custom);
    if (!task.ok()) return invalid(task.diagnostics());
    auto m = ToReplicaSpecWithOverrides(tmpl, execution, config, task->master_replicas, true);
    if (!m.ok()) {
      return Wrap(m.diagnostics(),
                  "Unable to create master replica spec: ", "custom.masterReplicas");
    }
    auto w = ToReplicaSpecWithOverrides(tmpl, execution, config, task->worker_replicas, false);
    if (!w.ok()) {
      return Wrap(w.diagnostics(),
                  "Unable to create worker replica spec: ", "custom.workerReplicas");
    }
    master = m.value();
    worker = w.value();
    AddWorkerEnvVars(config, &worker);
    if (task->run_policy) run_policy = ParseRunPolicy(*task->run_policy);
    if (task->elastic_config) elastic_policy = ParseElasticConfig(*task->elastic_config);
    warnings = UnknownEnumWarnings(task.value());
  } else {
    return Fail("taskTypeVersion",
                BadTaskSpecification(fmt::format(
                    "Invalid TaskSpecification, unsupported task template version [{}] key",
                    version_json.dump())));
  }

  // Assemble: a Worker spec only when it has replicas (flyte#6201).
  json specs = {{"Master", master}};
  if (worker.value("replicas", 0) > 0) specs["Worker"] = worker;
  json spec = {{"pytorchReplicaSpecs", specs}, {"runPolicy", run_policy}};
  if (elastic_policy) {
    spec["elasticPolicy"] = *elastic_policy;
    spec["pytorchReplicaSpecs"].erase("Master");  // elastic jobs have no master
  }

  json metadata = ObjectMetadata(tmpl, execution, config, json::object());
  return Result<json>(json{{"apiVersion", "kubeflow.org/v1"},
                           {"kind", "PyTorchJob"},
                           {"metadata", metadata},
                           {"spec", spec}},
                      warnings);
}

}  // namespace ptsim::flyte
