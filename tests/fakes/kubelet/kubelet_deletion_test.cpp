// Graceful deletion, force deletion, eviction and activeDeadlineSeconds.
#include <signal.h>

#include <catch2/catch.hpp>

#include "tests/support/fake_cluster.hpp"

namespace ptsim {
namespace {

using testing::FakeCluster;

std::string RecordedPod(const std::string& name, int grace) {
  return "metadata: {name: " + name +
         "}\nspec:\n  terminationGracePeriodSeconds: " + std::to_string(grace) +
         "\n  containers:\n  - {name: main, image: busybox, command: [sleep, infinity]}\n";
}

TEST_CASE(
    "graceful deletion sends SIGTERM, then SIGKILL after the grace period, then removes the pod") {
  FakeCluster c;
  c.AddNode("node-1");
  c.recording.set_signals_end_processes(false);  // the process ignores SIGTERM
  c.CreatePod(RecordedPod("p", 20));
  c.RunFor(5);
  REQUIRE(c.Get("p")->status.phase == "Running");
  c.api.collection<Pod>().Delete("default", "p");
  auto deleting = c.Get("p");
  REQUIRE(deleting->metadata.deletion_timestamp);
  CHECK(ToSeconds(*deleting->metadata.deletion_timestamp) == 25.0);
  CHECK(*deleting->metadata.deletion_grace_period_seconds == 20);
  c.RunFor(30);
  const auto& signals = c.recording.signals();
  REQUIRE(signals.size() == 2);
  CHECK(signals[0].signal == SIGTERM);
  CHECK(ToSeconds(signals[0].at) == 5.0);
  CHECK(signals[1].signal == SIGKILL);
  CHECK(ToSeconds(signals[1].at) == 25.0);
  // The recording runner does not end processes; end it as SIGKILL would.
  c.recording.End(c.recording.Find("default/p/main"), ProcessExit::Signaled(SIGKILL));
  c.RunFor(1);
  CHECK_FALSE(c.Get("p"));
  auto killing = c.EventsFor("p", "Killing");
  REQUIRE(killing.size() == 1);
  CHECK(killing[0].message == "Stopping container main");
}

TEST_CASE("a deleted pod whose process exits on SIGTERM ends Failed with exit 143 before removal") {
  FakeCluster c;
  c.AddNode("node-1");
  c.CreatePod(RecordedPod("p", 30));
  c.RunFor(1);
  std::string last_phase;
  int last_exit = -1;
  c.api.collection<Pod>().Watch([&](const WatchEvent<Pod>& e) {
    if (e.type == WatchEventType::kDeleted) return;
    last_phase = e.object->status.phase;
    if (!e.object->status.container_statuses.empty() &&
        e.object->status.container_statuses[0].state.terminated) {
      last_exit = e.object->status.container_statuses[0].state.terminated->exit_code;
    }
  });
  c.api.collection<Pod>().Delete("default", "p");
  c.RunFor(1);
  CHECK_FALSE(c.Get("p"));
  CHECK(last_phase == "Failed");
  CHECK(last_exit == 143);
}

TEST_CASE("force deletion removes the object at once and the kubelet kills with the 2s floor") {
  FakeCluster c;
  c.AddNode("node-1");
  c.recording.set_signals_end_processes(false);
  c.CreatePod(RecordedPod("p", 30));
  c.RunFor(1);
  c.api.collection<Pod>().Delete("default", "p", 0);
  CHECK_FALSE(c.Get("p"));
  c.RunFor(5);
  const auto& signals = c.recording.signals();
  REQUIRE(signals.size() == 2);
  CHECK(signals[0].signal == SIGTERM);
  CHECK(signals[1].signal == SIGKILL);
  CHECK(ToSeconds(signals[1].at - signals[0].at) == 2.0);
}

TEST_CASE("an unscheduled or finished pod is deleted at once, without grace") {
  FakeCluster c;  // no nodes: the pod cannot be scheduled
  c.CreatePod(testing::ScriptedPod("pending", "Never", "run 1s"));
  c.RunFor(1);
  c.api.collection<Pod>().Delete("default", "pending");
  CHECK_FALSE(c.Get("pending"));
}

TEST_CASE("a node-pressure eviction fails the pod with reason Evicted and keeps the object") {
  FakeCluster c;
  c.AddNode("node-1");
  c.CreatePod(testing::ScriptedPod("p", "OnFailure", "forever"));
  c.RunFor(3);
  const std::string message = "The node was low on resource: memory. ";
  c.kubelets.Find("node-1")->Evict("default", "p", message);
  c.RunFor(3);
  auto pod = c.Get("p");
  REQUIRE(pod);
  CHECK(pod->status.phase == "Failed");
  CHECK(pod->status.reason == "Evicted");
  CHECK(pod->status.message == message);
  const PodCondition* disruption = pod->status.FindCondition("DisruptionTarget");
  REQUIRE(disruption);
  CHECK(disruption->reason == "TerminationByKubelet");
  CHECK(pod->status.container_statuses[0].state.terminated->exit_code == 143);
}

TEST_CASE("spec.activeDeadlineSeconds fails the pod with DeadlineExceeded") {
  FakeCluster c;
  c.AddNode("node-1");
  c.CreatePod(R"(
metadata:
  name: p
  annotations: {script.ptsim.io/main: "forever"}
spec:
  activeDeadlineSeconds: 30
  restartPolicy: Always
  containers: [{name: main, image: busybox}]
)");
  c.RunFor(40);
  auto pod = c.Get("p");
  CHECK(pod->status.phase == "Failed");
  CHECK(pod->status.reason == "DeadlineExceeded");
  CHECK(pod->status.message == "Pod was active on the node longer than the specified deadline");
  CHECK(ToSeconds(pod->status.container_statuses[0].state.terminated->finished_at) == 30.0);
}

TEST_CASE("a node crash kills every process and the pods restart by policy when it comes back") {
  FakeCluster c;
  c.AddNode("node-1");
  c.CreatePod(testing::ScriptedPod("always", "Always", "forever"));
  c.CreatePod(testing::ScriptedPod("never", "Never", "forever"));
  c.RunFor(10);
  Kubelet& k = *c.kubelets.Find("node-1");
  k.Crash();
  c.RunFor(100);
  // While the node is down, the API still shows the last status the kubelet posted.
  CHECK(c.Get("always")->status.phase == "Running");
  CHECK(c.Get("never")->status.phase == "Running");
  k.Recover();
  c.RunFor(1);
  auto always = c.Get("always");
  CHECK(always->status.phase == "Running");
  CHECK(always->status.container_statuses[0].restart_count == 1);
  CHECK(always->status.container_statuses[0].last_state.terminated->reason ==
        "ContainerStatusUnknown");
  CHECK(c.Get("never")->status.phase == "Failed");
}

}  // namespace
}  // namespace ptsim
