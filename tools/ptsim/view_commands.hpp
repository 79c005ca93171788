// The command-line flags of the commands that read a finished (or running)
// run, as kubectl spells them: `ptsim logs`, `ptsim describe`, `ptsim
// events`. Registration only; the commands are in logs_command.cpp,
// describe_command.cpp and events_command.cpp, and main.cpp dispatches.
#pragma once

#include <CLI/CLI.hpp>

#include "tools/ptsim/commands.hpp"

namespace ptsim::cli {

struct ViewCommands {
  CLI::App* logs = nullptr;
  CLI::App* describe = nullptr;
  CLI::App* events = nullptr;
};

// Adds the three subcommands to `app`; the options receive the values and
// must outlive parsing.
ViewCommands AddViewCommands(CLI::App& app, LogsOptions* logs, DescribeOptions* describe,
                             EventsOptions* events);

}  // namespace ptsim::cli
