// `ptsim run FILE...`: its flags and their help, registered on the
// command line into a RunOptions (commands.hpp), which run_command.cpp
// executes. main.cpp dispatches.
#pragma once

#include <CLI/CLI.hpp>

#include "tools/ptsim/commands.hpp"

namespace ptsim::cli {

// Adds the `run` subcommand to `app`, its flags writing into `*run`
// (which must outlive the parse).
CLI::App* AddRunCommand(CLI::App& app, RunOptions* run);

}  // namespace ptsim::cli
