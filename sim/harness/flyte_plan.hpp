// A Flyte task as a run's input (docs/flyte.md "Running a task"): a task file
// (`pytorch:`/`elastic:` with `task:`, `execution:`, `propeller:`), a task
// template as flytectl prints it (JSON or YAML, bare or wrapped as
// {"template": ...} or an admin Task {"closure": {"compiledTask": {"template":
// ...}}}), or a scenario's `flyte:` section (a task file inline, or
// `{taskFile: PATH, execution, propeller, retries}`).
//
// Loading does what flytekit does at registration (CreateTask,
// BuildTaskTemplate) and prepares what flytepropeller will submit: every
// attempt the run may make (user retries plus system retries), each under its
// generated name (generated_name.hpp), built by the kubeflow plugin
// (BuildPyTorchJob, task type "pytorch") or the pod plugin (BuildTaskPod,
// "python-task"/"container"), decoded and validated like a manifest, and added
// to the RunPlan as deferred objects: faults, expectations and the pre-flight
// check see them, and the Flyte driver (flyte_run.hpp) creates them one
// attempt at a time. Every problem is a Diagnostic with file, line and field;
// nothing here starts anything.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/node_retry.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_config.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

struct RunPlan;

struct FlytePlan {
  SourceLocation where;  // the task file, or the scenario's `flyte:` key
  std::string input;     // "task file" or "task template"
  std::string config;    // "PyTorch", "Elastic", or "" for a task template
  nlohmann::json task_template;
  std::string task_type;  // the template's type: "pytorch", "python-task", ...
  int64_t task_type_version = 0;
  flyte::TaskExecution execution;  // attempt 0's, as written (names are per attempt)
  flyte::PluginConfig propeller;
  flyte::RetryConfig retry;
  // Set for Elastic tasks: each pod runs flytekit's elastic launch with it
  // (flyte_elastic.hpp). A template's elasticConfig gives nnodes,
  // nproc_per_node and max_restarts; the rest keep Elastic's defaults.
  std::optional<flyte::Elastic> elastic;
  std::vector<std::string> warnings;  // flytekit's and ptsim's, for the report
  // Where each key of the input was written (template field paths such as
  // "custom.workerReplicas" for templates), to place later errors.
  std::map<std::string, SourceLocation> template_locations;

  // What each attempt submits (filled by AddFlyteAttempts).
  struct Attempt {
    int64_t number = 0;
    std::string name;       // the generated name: the object's metadata.name
    std::string kind;       // "PyTorchJob" or "Pod"
    std::size_t index = 0;  // into RunPlan::jobs or RunPlan::pods
    nlohmann::json manifest;
  };
  std::vector<Attempt> attempts;

  bool RunsAsPod() const { return task_type != "pytorch"; }
};

// A task file document: a mapping with `pytorch` or `elastic` and no `kind`.
bool LooksLikeFlyteTaskFile(const YAML::Node& document);
// A task template document: a mapping without `kind` that has `type` and a
// `container`, `k8sPod` or `custom`, or wraps one as `template` or
// `closure.compiledTask.template`.
bool LooksLikeFlyteTemplate(const YAML::Node& document);

Result<FlytePlan> FlytePlanFromTaskFile(const YAML::Node& document, const std::string& file);
Result<FlytePlan> FlytePlanFromTemplate(const YAML::Node& document, const std::string& file);
// A task file or task template read from `path` (one YAML/JSON document);
// a file that cannot be read is reported at `at`, naming `field` (the
// scenario key that names the file; empty on the command line).
Result<FlytePlan> LoadFlyteFile(const std::string& path, const SourceLocation& at,
                                const std::string& field);

// A scenario's `flyte:` value; paths resolve from the scenario's directory.
void DecodeFlyteSection(DecodeContext& ctx, const YAML::Node& node, RunPlan* plan);

// Builds, checks and registers every attempt of plan->flyte (after the
// plan's operator version is final). Fault targets without a namespace aim at
// the task's namespace.
void AddFlyteAttempts(RunPlan* plan, Diagnostics* diagnostics);

// The task execution of attempt `n` (0-based): its generated name and retry
// attempt.
flyte::TaskExecution AttemptExecution(const FlytePlan& plan, int64_t n);

// How many attempts a run may make at most: the user attempts plus the
// system retries.
int64_t MaxFlyteAttempts(const FlytePlan& plan);

// A warning when the input sets execution.generatedName to something else
// than `derived`, the name flytepropeller derives (the name is not an input
// to flytepropeller, so ptsim ignores it).
std::optional<std::string> IgnoredGeneratedName(const flyte::TaskExecution& execution,
                                                const std::string& derived);

// "Kind/name" of every attempt after the first: they differ from attempt 0
// only in their names, so checks that would repeat attempt 0's findings
// (the pre-flight) skip them.
std::set<std::string> RepeatedFlyteAttempts(const RunPlan& plan);

}  // namespace ptsim
