// Each restartPolicy against exit 0, a non-zero exit and a signal death, with
// scripted containers in virtual time (docs/upstream/kubernetes.md#the-kubelet).
#include <catch2/catch.hpp>

#include "tests/support/fake_cluster.hpp"

namespace ptsim {
namespace {

using testing::FakeCluster;
using testing::ScriptedPod;

struct Expect {
  std::string policy;
  std::string script;
  std::string phase;   // phase after the run settles
  int restarts;        // restartCount after `seconds`
  int exit_code;       // the last exit code observed
  std::string reason;  // its terminated reason
};

void Check(const Expect& e, double seconds) {
  FakeCluster c;
  c.AddNode("node-1");
  c.CreatePod(ScriptedPod("p", e.policy, e.script));
  c.RunFor(seconds);
  auto pod = c.Get("p");
  REQUIRE(pod);
  INFO(e.policy << " / " << e.script);
  CHECK(pod->status.phase == e.phase);
  REQUIRE(pod->status.container_statuses.size() == 1);
  const ContainerStatus& s = pod->status.container_statuses[0];
  CHECK(s.restart_count == e.restarts);
  const auto& term = s.state.terminated ? s.state.terminated : s.last_state.terminated;
  REQUIRE(term);
  CHECK(term->exit_code == e.exit_code);
  CHECK(term->reason == e.reason);
}

TEST_CASE("restartPolicy Never: the pod ends with its container") {
  Check({"Never", "run 5s, exit 0", "Succeeded", 0, 0, "Completed"}, 100);
  Check({"Never", "run 5s, exit 3", "Failed", 0, 3, "Error"}, 100);
  Check({"Never", "run 5s, signal SIGKILL", "Failed", 0, 137, "Error"}, 100);
  Check({"Never", "run 5s, signal SIGSEGV", "Failed", 0, 139, "Error"}, 100);
}

TEST_CASE("restartPolicy OnFailure: restarts failures in place and succeeds on exit 0") {
  Check({"OnFailure", "run 5s, exit 0", "Succeeded", 0, 0, "Completed"}, 100);
  // Fails once, then succeeds: one immediate restart.
  Check({"OnFailure", "run 5s, exit 1 | run 5s, exit 0", "Succeeded", 1, 0, "Completed"}, 100);
  // Killed by SIGTERM (143) is a failure too.
  Check({"OnFailure", "run 5s, signal SIGTERM | run 5s, exit 0", "Succeeded", 1, 0, "Completed"},
        100);
}

TEST_CASE(
    "restartPolicy OnFailure: a container that keeps failing stays Running while it crash-loops") {
  // Exits at 5, restarts at once; 10, back-off 10s -> 20; 25, 20s -> 45; 50, 40s -> 90; 95.
  Check({"OnFailure", "run 5s, exit 2", "Running", 4, 2, "Error"}, 96);
}

TEST_CASE("restartPolicy Always: even exit 0 restarts, so the pod never succeeds") {
  Check({"Always", "run 5s, exit 0", "Running", 4, 0, "Completed"}, 96);
  Check({"Always", "run 5s, exit 1", "Running", 4, 1, "Error"}, 96);
}

TEST_CASE("a crash-looping container waits in CrashLoopBackOff with kubelet's message") {
  FakeCluster c;
  c.AddNode("node-1");
  auto created = c.CreatePod(ScriptedPod("p", "OnFailure", "run 1s, exit 1"));
  std::vector<std::pair<double, int>> starts;  // (time, restartCount) of every start
  int last_restarts = -1;
  c.api.collection<Pod>().Watch([&](const WatchEvent<Pod>& e) {
    if (e.object->status.container_statuses.empty()) return;
    const auto& s = e.object->status.container_statuses[0];
    if (s.state.running && s.restart_count != last_restarts) {
      last_restarts = s.restart_count;
      starts.emplace_back(ToSeconds(s.state.running->started_at), s.restart_count);
    }
  });
  c.RunFor(200);
  // Starts: 0; exit 1 -> restart at once (1); exit 2 -> +10 (12); exit 13 -> +20 (33);
  // exit 34 -> +40 (74); exit 75 -> +80 (155); exit 156 -> +160 (316).
  CHECK(starts ==
        std::vector<std::pair<double, int>>{{0, 0}, {1, 1}, {12, 2}, {33, 3}, {74, 4}, {155, 5}});
  auto pod = c.Get("p");
  const auto& s = pod->status.container_statuses[0];
  REQUIRE(s.state.waiting);
  CHECK(s.state.waiting->reason == "CrashLoopBackOff");
  CHECK(s.state.waiting->message ==
        "back-off 2m40s restarting failed container=main pod=p_default(" + pod->metadata.uid + ")");
  REQUIRE(s.last_state.terminated);
  CHECK(s.last_state.terminated->exit_code == 1);
  auto backoffs = c.EventsFor("p", "BackOff");
  REQUIRE(backoffs.size() == 1);  // aggregated
  CHECK(backoffs[0].type == "Warning");
  CHECK(backoffs[0].count == 5);
  CHECK(backoffs[0].message ==
        "Back-off restarting failed container main in pod p_default(" + pod->metadata.uid + ")");
}

TEST_CASE("init containers run first, in order, and a failure under Never fails the pod") {
  FakeCluster c;
  c.AddNode("node-1");
  c.CreatePod(R"(
metadata:
  name: p
  annotations:
    script.ptsim.io/init-a: "run 2s, exit 0"
    script.ptsim.io/init-b: "run 3s, exit 7"
    script.ptsim.io/main: "run 10s, exit 0"
spec:
  restartPolicy: Never
  initContainers:
  - {name: init-a, image: busybox}
  - {name: init-b, image: busybox}
  containers:
  - {name: main, image: busybox}
)");
  c.RunFor(60);
  auto pod = c.Get("p");
  CHECK(pod->status.phase == "Failed");
  const auto* b = pod->status.FindContainerStatus("init-b");
  REQUIRE(b->state.terminated);
  CHECK(b->state.terminated->exit_code == 7);
  CHECK(ToSeconds(b->state.terminated->finished_at) == 5.0);
  const auto* main = pod->status.FindContainerStatus("main");
  REQUIRE(main->state.waiting);
  CHECK(main->state.waiting->reason == "PodInitializing");
}

TEST_CASE("a failing init container under OnFailure keeps the pod Pending while it restarts") {
  FakeCluster c;
  c.AddNode("node-1");
  c.CreatePod(R"(
metadata:
  name: p
  annotations:
    script.ptsim.io/init: "run 1s, exit 1 | run 1s, exit 1 | run 1s, exit 0"
    script.ptsim.io/main: "run 10s, exit 0"
spec:
  restartPolicy: OnFailure
  initContainers:
  - {name: init, image: busybox}
  containers:
  - {name: main, image: busybox}
)");
  c.RunFor(5);  // init: exit 1 at 1, restart, exit 1 at 2, back-off 10s
  CHECK(c.Get("p")->status.phase == "Pending");
  c.RunFor(100);
  auto pod = c.Get("p");
  CHECK(pod->status.phase == "Succeeded");
  CHECK(pod->status.FindContainerStatus("init")->restart_count == 2);
  // main started after init succeeded at 13: 2 + 10 back-off + 1 run.
  CHECK(ToSeconds(pod->status.FindContainerStatus("main")->state.terminated->started_at) == 13.0);
}

TEST_CASE("an OOM-killed scripted container is reported as OOMKilled with exit code 137") {
  Check({"Never", "run 2s, oom", "Failed", 0, 137, "OOMKilled"}, 10);
}

TEST_CASE("the same seed twice gives the identical trace for a scripted run") {
  auto run = [](std::uint64_t seed) {
    FakeCluster c(false, seed);
    c.AddNode("node-1");
    c.AddNode("node-2", "2", "4Gi");
    for (int i = 0; i < 5; ++i) {
      c.CreatePod(ScriptedPod("p" + std::to_string(i), "OnFailure",
                              "run " + std::to_string(i + 1) + "s, exit 1 | run 3s, exit 0"));
    }
    c.RunFor(1000);
    return c.trace.Render();
  };
  const std::string a = run(7);
  CHECK(a == run(7));
  CHECK(a.find("bind default/p0") != std::string::npos);
}

TEST_CASE("virtual time jumps over timers when nothing real runs") {
  FakeCluster c;
  c.AddNode("node-1");
  c.CreatePod(ScriptedPod("p", "Never", "run 3600s, exit 0"));
  c.RunUntil([&] { return c.Get("p")->status.phase == "Succeeded"; });
  CHECK(ToSeconds(c.loop.Now()) == 3600.0);
  CHECK(c.wall->Now() == Duration{0});
}

}  // namespace
}  // namespace ptsim
