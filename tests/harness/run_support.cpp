#include "tests/harness/run_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "sim/harness/input_loader.hpp"

namespace ptsim::testing {

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json RunScenario(const TempDir& dir, const std::string& name, const std::string& yaml) {
  const std::string path = dir.path() + "/" + name + ".yaml";
  std::ofstream(path) << yaml;
  auto plan = LoadRunPlan(path, {});
  INFO(plan.diagnostics().Render());
  REQUIRE(plan.ok());
  RunSettings settings;
  settings.run_dir = dir.path() + "/runs/" + name;
  settings.processes.base_env = {"PATH=" + std::string(PTSIM_BINARY_DIR) + "/bin:/usr/bin:/bin"};
  RunResult result = ExecuteRun(*plan, settings);
  return result.report;
}

std::string LoadErrors(const TempDir& dir, const std::string& yaml) {
  const std::string path = dir.path() + "/scenario.yaml";
  std::ofstream(path) << yaml;
  auto plan = LoadRunPlan(path, {});
  std::string out;
  for (const auto& d : plan.diagnostics().items()) {
    if (d.severity == Diagnostic::Severity::kError) out += d.Render() + "\n";
  }
  // Report paths relative to the temporary directory.
  std::string prefix = dir.path() + "/";
  for (std::size_t pos; (pos = out.find(prefix)) != std::string::npos;)
    out.erase(pos, prefix.size());
  return out;
}

CliResult RunCli(const std::vector<std::string>& args, const std::string& cwd) {
  int pipefd[2];
  REQUIRE(::pipe2(pipefd, O_CLOEXEC) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    std::vector<char*> argv;
    std::string self = PTSIM_CLI_PATH;
    argv.push_back(self.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(self.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  CliResult r;
  char buf[4096];
  for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;)
    r.output.append(buf, static_cast<std::size_t>(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

const nlohmann::json& PodNamed(const nlohmann::json& report, const std::string& name) {
  const nlohmann::json* found = nullptr;
  for (const auto& p : report["pods"]) {
    if (p["name"] == name) found = &p;
  }
  INFO("pod " << name);
  REQUIRE(found != nullptr);
  return *found;
}

const nlohmann::json& ContainerOf(const nlohmann::json& pod, const std::string& name) {
  for (const auto& c : pod["containers"]) {
    if (c["name"] == name) return c;
  }
  for (const auto& c : pod["initContainers"]) {
    if (c["name"] == name) return c;
  }
  FAIL("no container " << name);
  return pod;
}

}  // namespace ptsim::testing
