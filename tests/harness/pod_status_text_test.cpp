// kubectl's READY, STATUS and RESTARTS columns on report pods: the cases of
// kubernetes/kubernetes pkg/printers/internalversion/printers_test.go
// TestPrintPod (and TestPrintPodWithRestartableInitContainer), written as
// report JSON.
#include <catch2/catch.hpp>

#include "sim/harness/pod_status_text.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

json Running() {
  return {{"running", {{"startedAt", 0.0}}}};
}
json Waiting(const std::string& reason = "") {
  return {{"waiting", {{"reason", reason.empty() ? json() : json(reason)}}}};
}
json Terminated(const std::string& reason, int exit_code = 0, int signal = 0) {
  return {{"terminated",
           {{"reason", reason.empty() ? json() : json(reason)},
            {"exitCode", exit_code},
            {"signal", signal}}}};
}
json LastFinished(double at) {
  return {{"terminated", {{"reason", "Error"}, {"exitCode", 1}, {"finishedAt", at}}}};
}
json C(const json& state, int restarts = 0, bool ready = false, const json& last = json()) {
  return {{"name", "c"},
          {"state", state},
          {"lastState", last},
          {"restartCount", restarts},
          {"ready", ready}};
}
// `{C(...)}` with one element is that element to nlohmann::json, not a list.
json List(const json& j) {
  return j.is_array() ? j : json::array({j});
}
json Pod(const std::string& phase, const json& containers, const json& inits = json::array(),
         const json& conditions = json::array(), const std::string& reason = "") {
  return {{"name", "p"},
          {"phase", phase},
          {"reason", reason.empty() ? json() : json(reason)},
          {"deletionRequestedAt", nullptr},
          {"conditions", conditions},
          {"initContainers", List(inits)},
          {"containers", List(containers)}};
}
json ReadyTrue() {
  return json::array({{{"type", "Ready"}, {"status", "True"}}});
}

struct Row {
  std::string ready, status, restarts;
};
Row Print(const json& pod, double now = 100) {
  const KubectlPodColumns k = KubectlPodRow(pod);
  return {k.ready, k.status, RestartsText(k, now)};
}

TEST_CASE("kubectl STATUS: phase, container reasons and readiness as printPod computes them") {
  // test1: the phase when nothing overrides it; READY counts running ready containers.
  auto r = Print(Pod("podPhase", {C(Running(), 3, true), C(nullptr, 3)}));
  CHECK(r.ready == "1/2");
  CHECK(r.status == "podPhase");
  CHECK(r.restarts == "6");
  // test2: a waiting reason overrides the phase.
  CHECK(Print(Pod("podPhase", {C(Running(), 3, true), C(Waiting("ContainerWaitingReason"), 3)}))
            .status == "ContainerWaitingReason");
  // test3: containers are read last to first: the first one's reason wins.
  CHECK(Print(Pod("podPhase", {C(Waiting("ContainerWaitingReason"), 3),
                               C(Terminated("ContainerTerminatedReason"), 3)}))
            .status == "ContainerWaitingReason");
  // test4: ready without running is not enough.
  r = Print(Pod("podPhase", {C(Running(), 3, true), C(nullptr, 3, true)}));
  CHECK(r.ready == "1/2");
  CHECK(r.status == "podPhase");
  // test5: status.reason wins over the phase.
  CHECK(Print(Pod("podPhase", {C(Running(), 3, true), C(nullptr, 3, true)}, json::array(),
                  json::array(), "podReason"))
            .status == "podReason");
  // test6: Completed with a container still running: NotReady, or Running with Ready=True.
  const json mixed = {C(Terminated("Completed"), 3, true), C(Running(), 3, true)};
  CHECK(Print(Pod("Running", mixed)).status == "NotReady");
  r = Print(Pod("Running", mixed, json::array(), ReadyTrue()));
  CHECK(r.status == "Running");
  CHECK(r.ready == "1/2");
}

TEST_CASE("kubectl STATUS: init containers give Init:i/n, Init:reason, Signal and ExitCode") {
  // test7: one init container restarting.
  auto r = Print(Pod("podPhase", {C(Waiting())}, {C(Running(), 3, false, LastFinished(90))}));
  CHECK(r.ready == "0/1");
  CHECK(r.status == "Init:0/1");
  CHECK(r.restarts == "3 (10s ago)");
  // test8: the first of two restarting.
  CHECK(Print(Pod("podPhase", {C(Waiting())},
                  {C(Running(), 3, false, LastFinished(90)), C(Waiting())}))
            .status == "Init:0/2");
  // test9: the first done (exit 0), the second restarting.
  CHECK(Print(Pod("podPhase", {C(Waiting())},
                  {C(Terminated(""), 0), C(Running(), 3, false, LastFinished(90))}))
            .status == "Init:1/2");
  // test10: restarts of every init container add up; the newest restart is shown.
  r = Print(Pod(
      "podPhase", {C(Waiting())},
      {C(Terminated(""), 2, false, LastFinished(-20)), C(Running(), 3, false, LastFinished(90))}));
  CHECK(r.status == "Init:1/2");
  CHECK(r.restarts == "5 (10s ago)");
  // test11: initialised: only the app containers' restarts count.
  r = Print(Pod("Running", {C(Running(), 4, false, LastFinished(80))},
                {C(Terminated(""), 2, false, LastFinished(-20))}));
  CHECK(r.status == "Running");
  CHECK(r.restarts == "4 (20s ago)");
  // A failed init container: its reason, or its signal or exit code when it has none.
  CHECK(
      Print(Pod("Pending", {C(Waiting("PodInitializing"))}, {C(Terminated("Error", 1))})).status ==
      "Init:Error");
  CHECK(
      Print(Pod("Pending", {C(Waiting("PodInitializing"))}, {C(Terminated("", 137, 9))})).status ==
      "Init:Signal:9");
  CHECK(Print(Pod("Pending", {C(Waiting("PodInitializing"))}, {C(Terminated("", 3))})).status ==
        "Init:ExitCode:3");
  CHECK(Print(Pod("Pending", {C(Waiting("PodInitializing"))}, {C(Waiting("CrashLoopBackOff"), 2)}))
            .status == "Init:CrashLoopBackOff");
  // PodInitializing is no reason of its own: the index is shown.
  CHECK(Print(Pod("Pending", {C(Waiting("PodInitializing"))}, {C(Waiting("PodInitializing"))}))
            .status == "Init:0/1");
  // App containers without a reason: Signal:N or ExitCode:N.
  CHECK(Print(Pod("Failed", {C(Terminated("", 143, 15))})).status == "Signal:15");
  CHECK(Print(Pod("Failed", {C(Terminated("", 2))})).status == "ExitCode:2");
}

TEST_CASE("kubectl STATUS: terminal phases, Terminating, Unknown and SchedulingGated") {
  // test16 and test17.
  CHECK(Print(Pod("Succeeded", {C(Terminated("Completed"))})).status == "Completed");
  CHECK(Print(Pod("Failed", {C(Terminated("Error", 1))})).status == "Error");
  json deleting = Pod("Succeeded", {C(Terminated("Completed"))});
  deleting["deletionRequestedAt"] = 5.0;
  // test18: a terminal pod being deleted keeps its status.
  CHECK(Print(deleting).status == "Completed");
  // test19 and test20: a running or pending pod being deleted is Terminating.
  deleting = Pod("Running", {C(Running())});
  deleting["deletionRequestedAt"] = 5.0;
  CHECK(Print(deleting).status == "Terminating");
  deleting = Pod("Pending", json::array());
  deleting["deletionRequestedAt"] = 5.0;
  CHECK(Print(deleting).status == "Terminating");
  // A pod of a lost node being deleted is Unknown.
  deleting = Pod("Running", {C(Running())}, json::array(), json::array(), "NodeLost");
  deleting["deletionRequestedAt"] = 5.0;
  CHECK(Print(deleting).status == "Unknown");
  // test15.
  CHECK(Print(Pod("podPhase", {C(nullptr), C(nullptr)}, json::array(),
                  json::array({{{"type", "PodScheduled"},
                                {"status", "False"},
                                {"reason", "SchedulingGated"}}})))
            .status == "SchedulingGated");
  // Evicted and OOMKilled come through as reasons.
  CHECK(Print(Pod("Failed", {C(Terminated("Error", 137))}, json::array(), json::array(), "Evicted"))
            .status == "Error");
  CHECK(Print(Pod("Failed", json::array(), json::array(), json::array(), "Evicted")).status ==
        "Evicted");
  CHECK(Print(Pod("Running", {C(Terminated("OOMKilled", 137), 1)})).status == "OOMKilled");
}

TEST_CASE("kubectl READY counts a started sidecar, RESTARTS the restarts of init sidecars too") {
  // TestPrintPodWithRestartableInitContainer: a sidecar (restartPolicy Always)
  // started and ready counts in READY, and its restarts stay counted once the
  // pod is initialised.
  json sidecar = C(Running(), 3, true, LastFinished(90));
  sidecar["restartPolicy"] = "Always";
  sidecar["started"] = true;
  const auto r = Print(Pod("Running", {C(Running(), 0, true)}, {sidecar},
                           json::array({{{"type", "Initialized"}, {"status", "True"}}})));
  CHECK(r.ready == "2/2");
  CHECK(r.status == "Running");
  CHECK(r.restarts == "3 (10s ago)");
}

TEST_CASE("kubectl RESTARTS shows how long ago the newest restart was in HumanDuration") {
  const json pod = Pod("Running", {C(Running(), 7, true, LastFinished(0))});
  CHECK(Print(pod, 5 * 24 * 3600.0).restarts == "7 (5d ago)");
  CHECK(Print(pod, 130).restarts == "7 (2m10s ago)");
  CHECK(Print(Pod("Running", {C(Running(), 2, true)})).restarts == "2");
}

}  // namespace
}  // namespace ptsim
