// Helpers for harness tests: write a scenario to a temporary file, load it,
// run it in-process, and run the `ptsim` binary as a user would.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "sim/harness/run.hpp"
#include "tests/support/fake_cluster.hpp"

namespace ptsim::testing {

// Writes `text` to `path`, replacing the file.
void Write(const std::string& path, const std::string& text);
// The whole file at `path` ("" when it cannot be read).
std::string Read(const std::string& path);

// Loads `yaml` (written to <dir>/<name>.yaml) and runs it; REQUIREs that it loads.
nlohmann::json RunScenario(const TempDir& dir, const std::string& name, const std::string& yaml);
// The diagnostics of loading `yaml`, rendered, or "" when it loads cleanly.
std::string LoadErrors(const TempDir& dir, const std::string& yaml);

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};
// Runs `ptsim <args>` in `cwd`, waiting for it.
CliResult RunCli(const std::vector<std::string>& args, const std::string& cwd);

// The pods (by name, the latest with that name) of a report.
const nlohmann::json& PodNamed(const nlohmann::json& report, const std::string& name);
const nlohmann::json& ContainerOf(const nlohmann::json& pod, const std::string& name);

}  // namespace ptsim::testing
