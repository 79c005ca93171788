// "Did you mean" for command-line typos: when CLI11 rejects a command line,
// names each unknown option or subcommand with the nearest one the command
// knows (`ptsim run --operator-verison` -> "did you mean --operator-version?",
// `ptsim rnu` -> "did you mean run?"). CLI11 still parses; this only reads
// its definitions and the arguments. Main thread.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace ptsim::cli {

// One line per unknown option or subcommand in `args` (argv without the
// program name), or "" when there is nothing to suggest.
std::string SuggestCorrections(CLI::App& app, const std::vector<std::string>& args);

}  // namespace ptsim::cli
