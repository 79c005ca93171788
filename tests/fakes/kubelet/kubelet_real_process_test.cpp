// The kubelet with real processes: exit codes, signals, OOM and logs.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <optional>
#include <sstream>

#include "fakes/process/proc_scan.hpp"
#include "tests/support/fake_cluster.hpp"

namespace ptsim {
namespace {

using testing::FakeCluster;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("real processes restart in place under OnFailure and each incarnation has its log") {
  FakeCluster c(/*real_processes=*/true);
  c.AddNode("node-1");
  // Fails on the first run (no marker file yet), succeeds on the second.
  const std::string marker = c.dir.path() + "/marker";
  c.CreatePod(R"(
metadata: {name: p}
spec:
  restartPolicy: OnFailure
  containers:
  - name: main
    image: busybox
    command: [sh, -c, "if [ -e )" +
              marker + R"( ]; then echo second; exit 0; fi; touch )" + marker +
              R"(; echo first; exit 3"]
)");
  c.RunUntil([&] { return c.Get("p") && c.Get("p")->status.phase == "Succeeded"; }, 30);
  auto pod = c.Get("p");
  REQUIRE(pod->status.phase == "Succeeded");
  const auto& s = pod->status.container_statuses[0];
  CHECK(s.restart_count == 1);
  CHECK(s.last_state.terminated->exit_code == 3);
  const std::string dir = c.dir.path() + "/pods/default_p_" + pod->metadata.uid + "/main/";
  CHECK(ReadFile(dir + "0.log") == "first\n");
  CHECK(ReadFile(dir + "1.log") == "second\n");
}

TEST_CASE("a real process that allocates past its memory limit is OOMKilled with exit code 137") {
  FakeCluster c(true);
  c.AddNode("node-1");
  c.CreatePod(R"yaml(
metadata: {name: hog}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: python
    command: [/usr/bin/python3, -c, "b = bytearray(300 * 1024 * 1024)"]
    resources:
      limits: {memory: 64Mi}
)yaml");
  c.RunUntil([&] { return c.Get("hog")->status.phase == "Failed"; }, 30);
  auto pod = c.Get("hog");
  REQUIRE(pod->status.phase == "Failed");
  const auto& t = pod->status.container_statuses[0].state.terminated;
  REQUIRE(t);
  CHECK(t->reason == "OOMKilled");
  CHECK(t->exit_code == 137);
}

TEST_CASE("graceful deletion of a real process: SIGTERM is honoured and nothing is left behind") {
  FakeCluster c(true);
  c.AddNode("node-1");
  c.CreatePod(R"(
metadata: {name: p}
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - {name: main, image: busybox, command: [sleep, "30"]}
)");
  c.RunUntil([&] { return c.Get("p")->status.phase == "Running"; }, 10);
  const Time deleted_at = c.loop.Now();
  c.api.collection<Pod>().Delete("default", "p");
  c.RunUntil([&] { return !c.Get("p"); }, 20);
  CHECK_FALSE(c.Get("p"));
  CHECK(c.loop.Now() - deleted_at < Seconds(2));  // sleep dies of SIGTERM at once
  for (const auto& proc : ListProcesses()) {
    INFO("pid " << proc.pid);
    CHECK_FALSE((proc.ppid == ::getpid() && proc.state == 'Z'));
  }
  CHECK(ProcessesWithEnv("HOSTNAME=p").empty());
}

// The kubelet's killContainer: SIGTERM, then SIGKILL when the grace period is
// over (pkg/kubelet/kuberuntime/kuberuntime_container.go). The whole group
// ignores SIGTERM here (an ignored signal stays ignored across exec).
TEST_CASE("a real process that ignores SIGTERM is SIGKILLed when its grace period is over") {
  FakeCluster c(true);
  c.AddNode("node-1");
  c.CreatePod(R"(
metadata: {name: stubborn}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    command: [sh, -c, "trap '' TERM; echo ready; while :; do sleep 0.05; done"]
)");
  c.RunUntil([&] { return c.Get("stubborn")->status.phase == "Running"; }, 10);
  c.RunFor(0.3);  // the trap is set
  const Time deleted_at = c.loop.Now();
  c.api.collection<Pod>().Delete("default", "stubborn");
  c.RunUntil([&] { return !c.Get("stubborn"); }, 20);
  INFO(c.trace.Render());
  // When the kubelet saw the process end, and how.
  std::optional<Time> exited_at;
  for (const auto& e : c.trace.entries()) {
    if (e.text.find("container main exited: signal SIGKILL (exit code 137)") != std::string::npos)
      exited_at = e.time;
  }
  REQUIRE(exited_at);
  // Not a moment before the grace period, and promptly after it.
  CHECK(*exited_at - deleted_at >= Seconds(2));
  CHECK(*exited_at - deleted_at < Millis(2500));
  CHECK(ProcessesWithEnv("HOSTNAME=stubborn").empty());
}

TEST_CASE("a command that is not found is a StartError with exit code 128") {
  FakeCluster c(true);
  c.AddNode("node-1");
  c.CreatePod(R"(
metadata: {name: p}
spec:
  restartPolicy: Never
  containers:
  - {name: main, image: busybox, command: [no-such-command-ptsim]}
)");
  c.RunUntil([&] { return c.Get("p")->status.phase == "Failed"; }, 10);
  const auto& t = c.Get("p")->status.container_statuses[0].state.terminated;
  REQUIRE(t);
  CHECK(t->reason == "StartError");
  CHECK(t->exit_code == 128);
  CHECK(t->message == "exec: \"no-such-command-ptsim\": executable file not found in $PATH");
}

}  // namespace
}  // namespace ptsim
