#include "tools/ptsim/flyte_command.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "fakes/flyte/config_yaml.hpp"
#include "fakes/flyte/custom.hpp"
#include "fakes/flyte/job_builder.hpp"
#include "fakes/flyte/pod_task.hpp"
#include "fakes/flyte/task_template.hpp"
#include "sim/harness/flyte_plan.hpp"
#include "sim/model/yaml_file.hpp"
#include "tools/ptsim/json_yaml.hpp"

namespace ptsim::cli {
namespace {

using nlohmann::json;

int Invalid(const Diagnostics& d) {
  std::cerr << d.Render();
  std::cerr << fmt::format("ptsim: {} error(s)\n", d.errors());
  return 2;
}

void Warn(const Diagnostics& d) {
  for (const auto& item : d.items()) {
    if (item.severity == Diagnostic::Severity::kWarning) std::cerr << item.Render() << "\n";
  }
}

// MessageToDict emits fields in field-number order; nlohmann sorts keys.
// Reorders the keys of a DistributedPyTorchTrainingTask dict the way Python
// prints it (flyteidl plugins/kubeflow/pytorch.proto, common.proto,
// core/tasks.proto).
nlohmann::ordered_json ProtoOrder(const json& v) {
  static const std::vector<std::string> kOrder = {
      // DistributedPyTorchTrainingTask (and the v0 message).
      "workerReplicas", "masterReplicas", "runPolicy", "elasticConfig", "workers",
      // DistributedPyTorchTrainingReplicaSpec / CommonReplicaSpec.
      "replicas", "image", "resources", "restartPolicy", "common",
      // Resources and ResourceEntry.
      "requests", "limits", "name", "value",
      // RunPolicy.
      "cleanPodPolicy", "ttlSecondsAfterFinished", "activeDeadlineSeconds", "backoffLimit",
      // ElasticConfig.
      "rdzvBackend", "minReplicas", "maxReplicas", "nprocPerNode", "maxRestarts"};
  if (v.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& item : v)
      out.push_back(ProtoOrder(item));
    return out;
  }
  if (!v.is_object()) return nlohmann::ordered_json::parse(v.dump());
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& key : kOrder) {
    if (v.contains(key)) out[key] = ProtoOrder(v[key]);
  }
  for (const auto& [key, value] : v.items()) {
    if (!out.contains(key)) out[key] = ProtoOrder(value);
  }
  return out;
}

int Custom(const FlyteOptions& options) {
  auto task = flyte::LoadFlyteTaskFile(options.file);
  if (!task.ok()) return Invalid(task.diagnostics());
  Warn(task.diagnostics());
  auto serialized = flyte::Serialize(task->task);
  if (!serialized.ok()) return Invalid(serialized.diagnostics());
  if (!serialized->custom) {
    std::cerr << fmt::format(
        "ptsim: {}: task type \"{}\" has no custom (flytekit's get_custom "
        "returns None)\n",
        options.file, serialized->type);
  }
  std::cout << (serialized->custom ? ProtoOrder(*serialized->custom).dump(2) : std::string("null"))
            << "\n";
  return 0;
}

// The task template, execution and config a file describes.
struct Input {
  json task_template;
  flyte::TaskExecution execution;
  flyte::PluginConfig propeller;
  std::map<std::string, SourceLocation> locations;
};

Result<Input> Load(const std::string& path) {
  Diagnostics d;
  auto file = ReadYamlFile(path);
  if (!file.ok()) return file.diagnostics();
  if (file->documents.size() != 1) {
    d.Error({path, 0, 0}, "", "", "a Flyte task file or task template holds exactly one document");
    return d;
  }
  const YAML::Node& doc = file->documents[0];
  Input input;
  if (LooksLikeFlyteTaskFile(doc)) {
    auto task = flyte::ParseFlyteTask(file->text, path);
    if (!task.ok()) return task.diagnostics();
    Warn(task.diagnostics());
    auto tmpl = flyte::BuildTaskTemplate(task->task);
    if (!tmpl.ok()) return tmpl.diagnostics();
    input.task_template = tmpl.value();
    input.execution = task->execution;
    input.propeller = task->propeller;
    return input;
  }
  if (LooksLikeFlyteTemplate(doc)) {
    auto plan = FlytePlanFromTemplate(doc, path);
    if (!plan.ok()) return plan.diagnostics();
    input.task_template = plan->task_template;
    input.locations = plan->template_locations;
    return input;
  }
  d.Error({path, 1, 1}, "", "",
          "not a Flyte task: a task file has a `pytorch:` or `elastic:` section (docs/flyte.md), "
          "a task template a `type` and a `container` or `k8sPod`");
  return d;
}

int Job(const FlyteOptions& options) {
  auto input = Load(options.file);
  if (!input.ok()) return Invalid(input.diagnostics());
  flyte::TaskExecution execution = input->execution;
  const std::string type = input->task_template.value("type", "");
  Result<nlohmann::json> object = Diagnostics();
  try {
    object = type == "pytorch" || type.empty()
                 ? flyte::BuildPyTorchJob(input->task_template, execution, input->propeller)
                 : flyte::BuildTaskPod(input->task_template, execution, input->propeller);
  } catch (const nlohmann::json::exception& e) {
    Diagnostics d;
    d.Error({options.file, 0, 0}, "", "",
            fmt::format("the task template is malformed: {}", e.what()));
    return Invalid(d);
  }
  if (!object.ok()) {
    Diagnostics located = flyte::LocateDiagnostics(object.diagnostics(), input->locations);
    Diagnostics out;
    for (const auto& item : located.items()) {
      SourceLocation where =
          item.where.file.empty() ? SourceLocation{options.file, 0, 0} : item.where;
      out.Error(where, item.object, item.field, item.message);
    }
    return Invalid(out);
  }
  std::cout << JsonToYaml(object.value());
  return 0;
}

}  // namespace

CLI::App* AddFlyteCommand(CLI::App& app, FlyteOptions* options) {
  CLI::App* flyte = app.add_subcommand(
      "flyte",
      "Show what Flyte makes of a PyTorch task (flytekitplugins-kfpytorch + flytepropeller's "
      "kubeflow plugin) without running it: its serialized custom, or the object flytepropeller "
      "submits. `ptsim run` runs the same files. Exit status: 0, or 2 for invalid input.");
  flyte->require_subcommand(1);
  options->custom = flyte->add_subcommand(
      "custom",
      "Print the task's custom JSON as flytekit's get_custom returns it (MessageToDict of "
      "DistributedPyTorchTrainingTask). CONFIG is a task file: `pytorch:` or `elastic:` mirroring "
      "the Python keyword arguments, optionally `task:` (docs/flyte.md). A python-task (Elastic "
      "with the integer nnodes 1) has none: prints null.");
  options->custom->add_option("CONFIG", options->file, "The task file (YAML)")->required();
  options->job = flyte->add_subcommand(
      "job",
      "Print, as YAML for `kubectl apply`, the object flytepropeller creates for the task: the "
      "kubeflow.org/v1 PyTorchJob (task type pytorch), or the Pod (task type python-task). TASK "
      "is a task file (YAML, with `execution:` and `propeller:` if needed) or a task template as "
      "flytectl prints it (JSON or YAML).");
  options->job->add_option("TASK", options->file, "The task file or task template")->required();
  return flyte;
}

int Flyte(const FlyteOptions& options) {
  if (options.custom && options.custom->parsed()) return Custom(options);
  if (options.job && options.job->parsed()) return Job(options);
  return 2;
}

}  // namespace ptsim::cli
