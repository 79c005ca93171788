// `ptsim flyte ...`: what Flyte makes of a PyTorch task, without running it.
//   ptsim flyte custom CONFIG.yaml   the task's serialized custom (flytekit's get_custom)
//   ptsim flyte job TASK.yaml|json   the object flytepropeller submits: the PyTorchJob
//                                    (or, for a python-task, the Pod), as YAML
// Exit status 0, or 2 for invalid input (diagnostics on stderr with file,
// line and field). The subcommands and their help are registered here;
// main.cpp dispatches.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace ptsim::cli {

struct FlyteOptions {
  std::string file;
  CLI::App* custom = nullptr;
  CLI::App* job = nullptr;
};

// Adds `flyte` with its subcommands to `app`; `options` receives the values.
CLI::App* AddFlyteCommand(CLI::App& app, FlyteOptions* options);
int Flyte(const FlyteOptions& options);

}  // namespace ptsim::cli
