// kube-scheduler as ptsim plays it: NodeResourcesFit filtering with its
// FailedScheduling messages, least-allocated scoring, retries when capacity
// frees up, cordons and taints (fakes/scheduler/scheduler.hpp).
#include <catch2/catch.hpp>

#include "tests/support/fake_cluster.hpp"

namespace ptsim {
namespace {

using testing::FakeCluster;

std::string PodWithRequests(const std::string& name, const std::string& cpu,
                            const std::string& gpu = "") {
  std::string y =
      "metadata:\n  name: " + name +
      "\n  annotations: {script.ptsim.io/main: forever}\nspec:\n  containers:\n  - name: main\n"
      "    image: busybox\n    resources:\n      requests: {cpu: \"" +
      cpu + "\"}\n";
  if (!gpu.empty()) y += "      limits: {nvidia.com/gpu: " + gpu + "}\n";
  return y;
}

TEST_CASE("pods are bound to nodes that fit their requests, least allocated first") {
  FakeCluster c;
  c.AddNode("node-a", "4");
  c.AddNode("node-b", "4");
  c.CreatePod(PodWithRequests("p1", "3"));
  c.CreatePod(PodWithRequests("p2", "3"));
  c.RunFor(1);
  CHECK(c.Get("p1")->spec.node_name == "node-a");
  CHECK(c.Get("p2")->spec.node_name == "node-b");
  auto scheduled = c.EventsFor("p1", "Scheduled");
  REQUIRE(scheduled.size() == 1);
  CHECK(scheduled[0].message == "Successfully assigned default/p1 to node-a");
}

TEST_CASE("a pod that fits nowhere stays Pending with kube-scheduler's FailedScheduling message") {
  FakeCluster c;
  c.AddNode("node-a", "2");
  c.AddNode("node-b", "2");
  c.CreatePod(PodWithRequests("big", "500m", "1"));
  c.CreatePod(PodWithRequests("huge", "4"));
  c.RunFor(1);
  auto big = c.Get("big");
  CHECK(big->spec.node_name.empty());
  CHECK(big->status.phase == "Pending");
  const PodCondition* scheduled = big->status.FindCondition("PodScheduled");
  REQUIRE(scheduled);
  CHECK(scheduled->status == "False");
  CHECK(scheduled->reason == "Unschedulable");
  CHECK(scheduled->message ==
        "0/2 nodes are available: 2 Insufficient nvidia.com/gpu. preemption: 0/2 nodes are "
        "available: 2 No preemption victims found for incoming pod.");
  auto failed = c.EventsFor("huge", "FailedScheduling");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].type == "Warning");
  CHECK(failed[0].message ==
        "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No "
        "preemption victims found for incoming pod.");
}

TEST_CASE("an unschedulable pod is retried when capacity frees up") {
  FakeCluster c;
  c.AddNode("node-a", "2");
  c.CreatePod(testing::ScriptedPod("first", "Never", "run 10s"));
  c.api.collection<Pod>().Mutate("default", "first", [](Pod& p) {
    p.spec.containers[0].resources.requests["cpu"] = Quantity::FromUnits(2);
  });
  c.RunFor(1);
  c.CreatePod(PodWithRequests("second", "2"));
  c.RunFor(5);
  CHECK(c.Get("second")->spec.node_name.empty());
  c.RunFor(10);  // first succeeds at 10s and releases its cpu
  CHECK(c.Get("second")->spec.node_name == "node-a");
}

TEST_CASE("cordoned nodes and untolerated taints are filtered out with their reasons") {
  FakeCluster c;
  c.AddNode("node-a");
  c.AddNode("node-b");
  c.api.collection<Node>().Mutate("", "node-a", [](Node& n) { n.spec.unschedulable = true; });
  c.api.collection<Node>().Mutate("", "node-b", [](Node& n) {
    n.spec.taints.push_back({"dedicated", "infra", "NoSchedule", {}});
  });
  c.CreatePod(PodWithRequests("p", "1"));
  c.RunFor(1);
  CHECK(c.Get("p")->status.FindCondition("PodScheduled")->message ==
        "0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 1 node(s) "
        "were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for "
        "scheduling.");
}

}  // namespace
}  // namespace ptsim
