// A Flyte PyTorch task described in YAML, mirroring the Python keyword
// arguments of the plugin's configs (docs/flyte.md has the full format):
//
//   pytorch:            # or `elastic:` (exactly one of the two)
//     worker: {replicas: 2, restart_policy: FAILURE, requests: {cpu: "1", mem: 1Gi}}
//     master: {image: my-image:1}
//     run_policy: {clean_pod_policy: ALL, backoff_limit: 3}
//     num_workers: 2    # deprecated v0 field
//   task: {name, project, domain, version, image, command, args, env, requests,
//          limits, shared_memory, pod_template, accelerator, retries, labels,
//          annotations}   # optional
//   execution: {...}    # optional, TaskExecution JSON keys (task_execution.hpp)
//   propeller: {...}    # optional, PluginConfig keys (plugin_config.hpp)
//
// Enum values: RestartPolicy NEVER, FAILURE (alias ON_FAILURE), ALWAYS or the
// proto names RESTART_POLICY_*; CleanPodPolicy NONE, RUNNING, ALL or
// CLEANPOD_POLICY_*. null means Python's None. Unknown keys, wrong types and
// invalid values are Diagnostics naming the file, line and key path; then
// the task is created with flytekit's checks (function_task.hpp), whose
// errors are pointed at the line of the key they concern.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "fakes/flyte/function_task.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_config.hpp"
#include "fakes/flyte/task_decorator.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

// Everything a task file says, before flytekit's construction checks.
struct FlyteTaskSpec {
  TaskConfig config{};
  TaskDecorator decorator{};
  TaskExecution execution{};
  PluginConfig propeller{};
  std::map<std::string, SourceLocation> locations{};  // key path -> where written
};

Result<FlyteTaskSpec> ParseFlyteTaskSpec(std::string_view yaml, const std::string& file_name);
// The same for a mapping already read (e.g. a scenario's `flyte:` section):
// diagnostics name `file_name` and the node's own lines.
Result<FlyteTaskSpec> ParseFlyteTaskSpecNode(const YAML::Node& root, const std::string& file_name);

// The task created from a file, with the execution and config it names.
struct LoadedFlyteTask {
  FunctionTask task;
  TaskExecution execution{};
  PluginConfig propeller{};
  std::map<std::string, SourceLocation> locations{};  // key path -> where written
};

// CreateTask on a parsed spec, its diagnostics located in the file.
Result<LoadedFlyteTask> CreateFlyteTask(const FlyteTaskSpec& spec);
// ParseFlyteTaskSpec + CreateTask, every diagnostic located in the file.
Result<LoadedFlyteTask> ParseFlyteTask(std::string_view yaml, const std::string& file_name);
// Reads `path` first; a missing file is a Diagnostic naming it.
Result<LoadedFlyteTask> LoadFlyteTaskFile(const std::string& path);

// Sets Diagnostic::where from the longest recorded key path that prefixes
// Diagnostic::field (diagnostics that already have a file are kept).
Diagnostics LocateDiagnostics(const Diagnostics& diagnostics,
                              const std::map<std::string, SourceLocation>& locations);

}  // namespace ptsim::flyte
