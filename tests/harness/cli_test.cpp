// The `ptsim` command as users run it: exit statuses, error messages, logs,
// and no process outliving ptsim — even when ptsim is killed with SIGKILL.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "fakes/process/proc_scan.hpp"
#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::RunCli;
using testing::TempDir;

using testing::Read;
using testing::Write;

const char* kPassing = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: ok
pods:
- apiVersion: v1
  kind: Pod
  metadata: {name: hello}
  spec:
    restartPolicy: Never
    containers: [{name: main, image: busybox, command: [sh, -c, "echo hello from $HOSTNAME"]}]
expect:
- podPhase: {pod: hello, phase: Succeeded}
)";

TEST_CASE("ptsim run exits 0 when every expectation holds and prints the logs with ptsim logs") {
  TempDir dir;
  Write(dir.path() + "/ok.yaml", kPassing);
  auto r = RunCli(
      {"run", "ok.yaml", "--json", "report.json", "--junit", "junit.xml", "--html", "report.html"},
      dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("PASS: ok") != std::string::npos);
  auto logs = RunCli({"logs", "ok", "hello"}, dir.path());
  CHECK(logs.exit_code == 0);
  CHECK(logs.output == "hello from hello\n");
  std::ifstream report(dir.path() + "/report.json");
  CHECK(report.good());
}

TEST_CASE("ptsim run exits 1 when an expectation fails and shows want and got") {
  TempDir dir;
  std::string yaml = kPassing;
  yaml += "- podPhase: {pod: hello, phase: Failed}\n";
  Write(dir.path() + "/bad.yaml", yaml);
  auto r = RunCli({"run", "bad.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("FAIL pod hello ends in phase Failed") != std::string::npos);
  CHECK(r.output.find("want: Failed") != std::string::npos);
  CHECK(r.output.find("got:  Succeeded") != std::string::npos);
}

TEST_CASE("ptsim run exits 2 on invalid input, naming file, line and field, and runs nothing") {
  TempDir dir;
  Write(dir.path() + "/job.yaml", R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: mnist}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 2
      template:
        spec:
          containers:
          - name: pytorch
            image: trainer
            command: [sh, -c, "touch ran"]
)");
  auto r = RunCli({"run", "job.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("job.yaml:7:7: error: PyTorchJob \"mnist\": "
                      "spec.pytorchReplicaSpecs[Master].replicas: Forbidden: must be 1") !=
        std::string::npos);
  CHECK(r.output.find("nothing was run") != std::string::npos);
  CHECK(::access((dir.path() + "/ran").c_str(), F_OK) != 0);
  Write(dir.path() + "/broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n");
  auto broken = RunCli({"run", "broken.yaml"}, dir.path());
  CHECK(broken.exit_code == 2);
  CHECK(broken.output.find("broken.yaml:4:1: error: malformed YAML/JSON") != std::string::npos);
  Write(dir.path() + "/missing.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x, "
        "command: [no-such-binary-ptsim]}]\n");
  auto missing = RunCli({"run", "missing.yaml"}, dir.path());
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("cannot run no-such-binary-ptsim: exec: \"no-such-binary-ptsim\": "
                            "executable file not found in $PATH") != std::string::npos);
  auto bad_flag = RunCli({"run", "job.yaml", "--timeout", "forever"}, dir.path());
  CHECK(bad_flag.exit_code == 2);
  CHECK(RunCli({"run", "job.yaml", "--operator-version", "v2"}, dir.path()).exit_code == 2);
  auto torchrun = RunCli({"run", "job.yaml", "--torchrun", "sometimes"}, dir.path());
  CHECK(torchrun.exit_code == 2);
  CHECK(torchrun.output.find("--torchrun sometimes: unknown; choose auto, emulate or real") !=
        std::string::npos);
  CHECK(RunCli({"run", "job.yaml", "--torch-version", "3"}, dir.path()).exit_code == 2);
}

TEST_CASE("the torchrun mode comes from the scenario, a flag overrides it, and the report says") {
  TempDir dir;
  Write(dir.path() + "/s.yaml",
        "apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\ntorchrun: emulate\n"
        "torchVersion: \"2\"\npods:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, "
        "annotations: {script.ptsim.io/c: run 1s}}\n  spec: {restartPolicy: Never, containers: "
        "[{name: c, image: x}]}\n");
  auto from_file = RunCli({"run", "s.yaml", "-q", "--json", "a.json"}, dir.path());
  REQUIRE(from_file.exit_code == 0);
  const auto a = nlohmann::json::parse(Read(dir.path() + "/a.json"));
  CHECK(a["torchrun"] == nlohmann::json{{"mode", "emulate"}, {"torchVersion", "2"}});
  auto overridden =
      RunCli({"run", "s.yaml", "-q", "--json", "b.json", "--torchrun", "real"}, dir.path());
  REQUIRE(overridden.exit_code == 0);
  const auto b = nlohmann::json::parse(Read(dir.path() + "/b.json"));
  CHECK(b["torchrun"]["mode"] == "real");
  Write(dir.path() + "/bad.yaml",
        "apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\ntorchrun: maybe\npods: []\n");
  auto bad = RunCli({"run", "bad.yaml"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("bad.yaml:4:11: error") != std::string::npos);
  CHECK(bad.output.find("unknown torchrun mode \"maybe\"") != std::string::npos);
}

// Kills (SIGKILL) and reaps a child when the test ends, whatever happened.
struct ChildGuard {
  pid_t pid;
  ~ChildGuard() {
    if (pid > 0 && ::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
  }
};

// Runs ptsim on `file` in the background and returns its pid.
pid_t StartCli(const std::string& dir, const std::string& file) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl(PTSIM_CLI_PATH, "ptsim", "run", file.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int WaitForPidFile(const std::string& path) {
  for (int i = 0; i < 500; ++i) {
    std::ifstream in(path);
    int pid = 0;
    if (in >> pid && pid > 0) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

bool GoneWithin(int pid, std::chrono::milliseconds limit) {
  for (auto waited = std::chrono::milliseconds(0); waited < limit;
       waited += std::chrono::milliseconds(20)) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line) || line.find(") Z ") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

const char* kLongRunning = R"(apiVersion: v1
kind: Pod
metadata: {name: sleeper}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: [sh, -c, "sleep 60 & echo $! > bg.pid; setsid sleep 60 & echo $! > escaped.pid; echo $$$$ > main.pid; wait"]
)";

TEST_CASE("no process outlives ptsim when ptsim is killed with SIGKILL mid-run") {
  TempDir dir;
  Write(dir.path() + "/long.yaml", kLongRunning);
  const pid_t ptsim = StartCli(dir.path(), "long.yaml");
  ChildGuard guard{ptsim};
  const int main_pid = WaitForPidFile(dir.path() + "/main.pid");
  const int background = WaitForPidFile(dir.path() + "/bg.pid");
  const int escaped = WaitForPidFile(dir.path() + "/escaped.pid");
  REQUIRE(main_pid > 0);
  REQUIRE(background > 0);
  REQUIRE(escaped > 0);
  ::kill(ptsim, SIGKILL);
  int status = 0;
  ::waitpid(ptsim, &status, 0);
  guard.pid = 0;
  // The orphan guard kills the container's group, and even the process that
  // left it with setsid (found by its environment marker).
  CHECK(GoneWithin(main_pid, std::chrono::seconds(10)));
  CHECK(GoneWithin(background, std::chrono::seconds(10)));
  CHECK(GoneWithin(escaped, std::chrono::seconds(10)));
}

TEST_CASE("Ctrl-C terminates the pods gracefully, says so, and leaves nothing running") {
  TempDir dir;
  Write(dir.path() + "/long.yaml", kLongRunning);
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  const pid_t ptsim = ::fork();
  if (ptsim == 0) {
    if (::chdir(dir.path().c_str()) != 0) ::_exit(127);
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    ::close(pipefd[0]);
    ::execl(PTSIM_CLI_PATH, "ptsim", "run", "long.yaml", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipefd[1]);
  ChildGuard guard{ptsim};
  const int main_pid = WaitForPidFile(dir.path() + "/main.pid");
  REQUIRE(main_pid > 0);
  ::kill(ptsim, SIGINT);
  std::string output;
  char buf[4096];
  for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;)
    output.append(buf, static_cast<std::size_t>(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(ptsim, &status, 0);
  guard.pid = 0;
  CHECK(WIFEXITED(status));
  CHECK(output.find("interrupted (Interrupt): deleting 1 pods gracefully") != std::string::npos);
  CHECK(GoneWithin(main_pid, std::chrono::seconds(5)));
  CHECK(GoneWithin(WaitForPidFile(dir.path() + "/escaped.pid"), std::chrono::seconds(5)));
}

}  // namespace
}  // namespace ptsim
