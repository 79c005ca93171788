// ptsim: a local simulator and test harness for distributed PyTorch training on
// Kubernetes. This file only parses the command line; see commands.hpp.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/ptsim/commands.hpp"
#include "tools/ptsim/flyte_command.hpp"
#include "tools/ptsim/option_suggestions.hpp"
#include "tools/ptsim/run_command_line.hpp"
#include "tools/ptsim/view_commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "ptsim runs Kubernetes Pods, Kubeflow PyTorchJobs, scenarios and Flyte PyTorch tasks on one "
      "machine, with fake nodes and pods whose containers are real local processes (or scripted "
      "ones that live in virtual time), and shows what the cluster and the training-operator "
      "would do.",
      "ptsim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("ptsim ") + PTSIM_VERSION);

  ptsim::cli::RunOptions run;
  CLI::App* run_cmd = ptsim::cli::AddRunCommand(app, &run);

  ptsim::cli::LogsOptions logs;
  ptsim::cli::DescribeOptions describe;
  ptsim::cli::EventsOptions events;
  const ptsim::cli::ViewCommands views =
      ptsim::cli::AddViewCommands(app, &logs, &describe, &events);

  ptsim::cli::FlyteOptions flyte;
  CLI::App* flyte_cmd = ptsim::cli::AddFlyteCommand(app, &flyte);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A misspelt option or command: the suggestion says more than CLI11's
    // "not expected" or "a subcommand is required", so it replaces it.
    if (e.get_exit_code() != 0) {
      const std::string suggestions =
          ptsim::cli::SuggestCorrections(app, std::vector<std::string>(argv + 1, argv + argc));
      if (!suggestions.empty()) {
        std::cerr << suggestions;
        return 2;
      }
    }
    return app.exit(e) == 0 ? 0 : 2;
  }
  // Errors are values; an exception that reaches here is a bug in ptsim. It
  // ends ptsim with status 2 and a message, not an abort.
  try {
    if (run_cmd->parsed()) return ptsim::cli::Run(run);
    if (views.logs->parsed()) return ptsim::cli::Logs(logs);
    if (views.describe->parsed()) return ptsim::cli::Describe(describe);
    if (views.events->parsed()) return ptsim::cli::Events(events);
    if (flyte_cmd->parsed()) return ptsim::cli::Flyte(flyte);
  } catch (const std::exception& e) {
    std::string files;
    for (const auto& f : run.files)
      files += (files.empty() ? " (" : ", ") + f;
    std::cerr << "ptsim: internal error" << (files.empty() ? "" : files + ")") << ": " << e.what()
              << "; this is a bug in ptsim: please report it with the input files\n";
  }
  return 2;
}
