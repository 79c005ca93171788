// `ptsim flyte ...`: what Flyte makes of a PyTorch task, without running it.
//   ptsim flyte custom CONFIG.yaml   the task's serialized custom (flytekit's get_custom)
//   ptsim flyte job TASK.yaml|json   the object flytepropeller submits: the PyTorchJob
//                                    (or, for a python-task, the Pod), as YAML, named
//                                    from the execution, node and attempt
//                                    (--execution, --node, --attempt)
// Exit status 0, or 2 for invalid input (diagnostics on stderr with file,
// line and field). The subcommands and their help are registered here;
// main.cpp dispatches.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ptsim::cli {

struct FlyteOptions {
  std::string file;
  // `flyte job`: override the task file's execution (executionId.name,
  // nodeId, retryAttempt); unset = the file's values or ptsim run's defaults.
  std::optional<std::string> execution_name;
  std::optional<std::string> node_id;
  std::optional<int64_t> attempt;
  CLI::App* custom = nullptr;
  CLI::App* job = nullptr;
};

// Adds `flyte` with its subcommands to `app`; `options` receives the values.
CLI::App* AddFlyteCommand(CLI::App& app, FlyteOptions* options);
int Flyte(const FlyteOptions& options);

}  // namespace ptsim::cli
