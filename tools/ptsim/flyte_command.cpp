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
#include "sim/harness/flyte_attempt.hpp"
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
  auto file = ReadYamlFile(options.file);
  if (!file.ok()) return Invalid(file.diagnostics());
  if (file->documents.size() != 1 || !LooksLikeFlyteTaskFile(file->documents[0])) {
    // A template already holds the serialized custom; for anything else
    // (an empty file, two documents, a scenario) LoadFlyteFile says what is
    // wrong, as for `ptsim flyte job`.
    auto plan = LoadFlyteFile(options.file, {options.file, 0, 0}, "");
    if (!plan.ok()) return Invalid(plan.diagnostics());
    const json custom = plan->task_template.value("custom", json());
    std::cout << (custom.is_null() ? std::string("null") : ProtoOrder(custom).dump(2)) << "\n";
    return 0;
  }
  auto task = flyte::LoadFlyteTaskFile(options.file);
  if (!task.ok()) return Invalid(task.diagnostics());
  Warn(task.diagnostics());
  auto serialized = flyte::Serialize(task->task);
  if (!serialized.ok()) {
    return Invalid(flyte::LocateDiagnostics(serialized.diagnostics(), task->locations));
  }
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

int Job(const FlyteOptions& options) {
  auto plan = LoadFlyteFile(options.file, {options.file, 0, 0}, "");
  if (!plan.ok()) return Invalid(plan.diagnostics());
  Warn(plan.diagnostics());
  // Named as flytepropeller names an attempt (and as `ptsim run` does):
  // <execution name>-<node id>-<retry attempt>.
  flyte::TaskExecution& e = plan->execution;
  if (options.execution_name) e.execution_id.name = *options.execution_name;
  if (options.node_id) e.node_id = *options.node_id;
  const int64_t attempt = options.attempt.value_or(e.retry_attempt);
  const flyte::TaskExecution execution = AttemptExecution(*plan, attempt);
  if (auto warning = IgnoredGeneratedName(e, execution.generated_name)) {
    Diagnostics w;
    w.Warning(plan->where, "", "execution.generatedName", *warning);
    Warn(w);
  }
  Result<nlohmann::json> object = Diagnostics();
  try {
    object = plan->RunsAsPod()
                 ? flyte::BuildTaskPod(plan->task_template, execution, plan->propeller)
                 : flyte::BuildPyTorchJob(plan->task_template, execution, plan->propeller);
  } catch (const nlohmann::json::exception& ex) {
    Diagnostics d;
    d.Error(plan->where, "", "", fmt::format("the task template is malformed: {}", ex.what()));
    return Invalid(d);
  }
  const Diagnostics placed = PlaceFlyteDiagnostics(object.diagnostics(), *plan, "");
  if (!object.ok()) return Invalid(placed);
  Warn(placed);
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
      "the Python keyword arguments, optionally `task:` (docs/flyte.md), or a task template, "
      "whose custom is printed as it is. A python-task (Elastic with the integer nnodes 1) has "
      "none: prints null.");
  options->custom->add_option("CONFIG", options->file, "The task file (YAML) or task template")
      ->required();
  options->job = flyte->add_subcommand(
      "job",
      "Print, as YAML for `kubectl apply`, the object flytepropeller creates for the task: the "
      "kubeflow.org/v1 PyTorchJob (task type pytorch), or the Pod (task type python-task), "
      "named <execution>-<node>-<attempt> as flytepropeller names it. TASK is a task file "
      "(YAML, with `execution:` and `propeller:` if needed) or a task template as flytectl "
      "prints it (JSON or YAML).");
  options->job->add_option("TASK", options->file, "The task file or task template")->required();
  options->job->add_option("--execution", options->execution_name,
                           "The execution's name (default: the task file's "
                           "execution.executionId.name, else ptsim, as for `ptsim run`)");
  options->job->add_option("--node", options->node_id,
                           "The node id (default: the task file's execution.nodeId, else n0)");
  options->job
      ->add_option("--attempt", options->attempt,
                   "The retry attempt, 0-based (default: the task file's execution.retryAttempt, "
                   "else 0); the object is named <execution>-<node>-<attempt>")
      ->check(CLI::NonNegativeNumber);
  return flyte;
}

int Flyte(const FlyteOptions& options) {
  if (options.custom && options.custom->parsed()) return Custom(options);
  if (options.job && options.job->parsed()) return Job(options);
  return 2;
}

}  // namespace ptsim::cli
