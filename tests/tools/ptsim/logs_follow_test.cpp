// `ptsim logs -f` on a run that another ptsim is still writing: it waits for
// the pod, follows the log as it grows, moves on to the recreated pod, and
// ends when the run's report.json appears.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::RunCli;
using testing::TempDir;
using testing::Write;

// Each start prints three lines 0.1 s apart; the first start exits 137 (the
// operator recreates the pod, ExitCode), the second succeeds.
const char* kSlow = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: slow
images:
  busybox: {}
job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: sj}
  spec:
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        restartPolicy: ExitCode
        template:
          spec:
            containers:
            - name: pytorch
              image: busybox
              command: [sh, -c, 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; for i in 1 2 3; do echo "start $n line $i"; sleep 0.1; done; if [ $n -lt 2 ]; then exit 137; fi']
)";

pid_t StartRun(const std::string& dir) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl(PTSIM_CLI_PATH, "ptsim", "run", "slow.yaml", "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

TEST_CASE("ptsim logs -f follows a run being written across a recreated pod until it ends") {
  TempDir dir;
  Write(dir.path() + "/slow.yaml", kSlow);
  const pid_t run = StartRun(dir.path());
  REQUIRE(run > 0);
  // The run directory exists once ptsim has started the run.
  const std::string run_dir = dir.path() + "/ptsim-runs/slow";
  for (int i = 0; i < 500 && !std::filesystem::exists(run_dir + "/.ptsim-run"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(std::filesystem::exists(run_dir + "/.ptsim-run"));
  REQUIRE_FALSE(std::filesystem::exists(run_dir + "/report.json"));  // still being written

  auto r = RunCli({"logs", "slow", "sj-master-0", "-f"}, dir.path());
  int status = 0;
  ::waitpid(run, &status, 0);
  INFO(r.output);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(r.exit_code == 0);
  // Every line of both incarnations, in order (stderr notes interleave).
  std::size_t at = 0;
  for (const char* line : {"start 1 line 1", "start 1 line 2", "start 1 line 3",
                           "pod sj-master-0 was recreated: following incarnation 2",
                           "start 2 line 1", "start 2 line 2", "start 2 line 3"}) {
    const auto found = r.output.find(line, at);
    INFO(line);
    REQUIRE(found != std::string::npos);
    at = found;
  }
}

TEST_CASE("ptsim logs -f ends at once with the log of a run that has ended") {
  TempDir dir;
  Write(dir.path() + "/slow.yaml", kSlow);
  REQUIRE(RunCli({"run", "slow.yaml", "-q"}, dir.path()).exit_code == 0);
  auto r = RunCli({"logs", "slow", "sj-master-0", "-f", "--tail", "1"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.output == "start 2 line 3\n");
  r = RunCli({"logs", "slow", "sj-worker-0", "-f"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("pod \"sj-worker-0\" not found") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
