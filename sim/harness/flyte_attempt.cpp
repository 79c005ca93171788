#include "sim/harness/flyte_attempt.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "fakes/flyte/config_yaml.hpp"
#include "fakes/flyte/job_builder.hpp"
#include "fakes/flyte/pod_task.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/pytorchjob_validation.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

// Diagnostics about the generated manifest: their lines mean nothing to the
// user, so they point at the task and name the object and field instead.
void Relocate(const Diagnostics& from, const FlytePlan& plan, const std::string& object,
              Diagnostics* to) {
  for (Diagnostic item : from.items()) {
    if (item.severity == Diagnostic::Severity::kError) {
      item.message = fmt::format("in the {} flytepropeller would submit: {}", object, item.message);
    }
    item.where = plan.where;
    item.object = object;
    to->Add(std::move(item));
  }
}

void SetEnv(std::vector<Container>* containers, const std::string& name, const std::string& value) {
  for (auto& c : *containers) {
    bool found = false;
    for (auto& e : c.env) {
      if (e.name == name) {
        e.value = value;
        e.value_from.reset();
        found = true;
      }
    }
    if (!found) c.env.push_back(EnvVar{name, value, std::nullopt});
  }
}

}  // namespace

Diagnostics PlaceFlyteDiagnostics(const Diagnostics& from, const FlytePlan& plan,
                                  const std::string& object) {
  Diagnostics located = flyte::LocateDiagnostics(from, plan.template_locations);
  Diagnostics out;
  for (Diagnostic item : located.items()) {
    if (item.where.file.empty()) item.where = plan.where;
    if (item.object.empty()) item.object = object;
    out.Add(item);
  }
  return out;
}

Result<FlyteAttemptObject> BuildFlyteAttempt(const FlytePlan& plan, int64_t attempt,
                                             OperatorVersion version) {
  const flyte::TaskExecution execution = AttemptExecution(plan, attempt);
  const std::string task = fmt::format("Flyte task \"{}\"", execution.execution_id.name);
  Result<json> manifest = Diagnostics();
  try {
    manifest = plan.RunsAsPod()
                   ? flyte::BuildTaskPod(plan.task_template, execution, plan.propeller)
                   : flyte::BuildPyTorchJob(plan.task_template, execution, plan.propeller);
  } catch (const json::exception& e) {
    // CheckTemplateShape covers the fields the builders read; anything it
    // misses still ends as an error, not a crash.
    Diagnostics d;
    d.Error(plan.where, task, "", fmt::format("the task template is malformed: {}", e.what()));
    return d;
  }
  // flytepropeller's side may warn (an enum number that names no policy).
  const Diagnostics builder = PlaceFlyteDiagnostics(manifest.diagnostics(), plan, task);
  if (!manifest.ok()) return builder;

  FlyteAttemptObject o;
  o.kind = plan.RunsAsPod() ? "Pod" : "PyTorchJob";
  o.manifest = manifest.value();
  o.name = o.manifest["metadata"].value("name", "");
  o.ns = o.manifest["metadata"].value("namespace", "");
  const std::string object = fmt::format("{} \"{}\"", o.kind, o.name);
  // flytepropeller always writes `affinity: {}`, which sets nothing: leave it
  // out of what is decoded (ptsim does not simulate affinity and would warn).
  json decodable = o.manifest;
  auto drop_empty_affinity = [](json* pod_spec) {
    if (pod_spec->is_object() && pod_spec->contains("affinity") &&
        (*pod_spec)["affinity"].is_object() && (*pod_spec)["affinity"].empty()) {
      pod_spec->erase("affinity");
    }
  };
  if (decodable["spec"].contains("pytorchReplicaSpecs")) {
    for (auto& [type, spec] : decodable["spec"]["pytorchReplicaSpecs"].items()) {
      if (spec.contains("template") && spec["template"].contains("spec")) {
        drop_empty_affinity(&spec["template"]["spec"]);
      }
    }
  } else {
    drop_empty_affinity(&decodable["spec"]);
  }
  // Strings stay strings: JSON is YAML with every string quoted.
  const YAML::Node node = YAML::Load(decodable.dump());
  Diagnostics local;
  DecodeContext ctx("<" + o.name + ">", &local);
  ctx.set_object(object);
  if (!plan.RunsAsPod()) {
    o.job.emplace();
    DecodePyTorchJob(ctx, node, &*o.job, &o.locations);
    if (local.ok()) {
      local.Append(DiagnosePyTorchJobCreate(*o.job, o.locations, version, object));
    }
  } else {
    Pod pod;
    {
      MapReader m(ctx, node, "");
      DecodePod(m, &pod);
    }
    if (local.ok()) ValidatePodSpec(ctx, node["spec"], "spec", pod.spec);
    o.pod = std::move(pod);
  }
  Diagnostics out = builder;
  Relocate(local, plan, object, &out);
  if (!out.ok()) return out;
  // Later checks (the pre-flight's command and image checks) cite these
  // locations. Lines of the generated manifest mean nothing to the user:
  // point them at the task's container (template) or `task` (task file).
  SourceLocation container_at = plan.where;
  for (const char* key : {"container.command", "container", "k8sPod", "task.command", "task"}) {
    if (auto it = plan.template_locations.find(key); it != plan.template_locations.end()) {
      container_at = it->second;
      break;
    }
  }
  for (auto& [path, where] : o.locations)
    where = container_at;
  return Result<FlyteAttemptObject>(std::move(o), out);
}

void SetContainerEnv(FlyteAttemptObject* object, const std::string& name,
                     const std::string& value) {
  if (object->job && object->job->spec.pytorch_replica_specs) {
    for (auto& [type, spec] : *object->job->spec.pytorch_replica_specs) {
      SetEnv(&spec.template_.spec.containers, name, value);
      SetEnv(&spec.template_.spec.init_containers, name, value);
    }
  }
  if (object->pod) {
    SetEnv(&object->pod->spec.containers, name, value);
    SetEnv(&object->pod->spec.init_containers, name, value);
  }
}

}  // namespace ptsim
