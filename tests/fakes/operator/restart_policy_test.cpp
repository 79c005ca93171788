// Restart policies end to end in virtual time
// (docs/upstream/training-operator.md#restart-policies,
// docs/upstream/training-operator.md#success-and-failure-rules): scripted
// containers run by kubelets, the controller reacting to the pod status they
// write. Each replica type's restartPolicy decides who restarts a failed
// container (the kubelet in place, the controller by recreating the pod, or
// nobody) and what the job's conditions become.
#include <catch2/catch.hpp>

#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::Cond;
using testing::OperatorCluster;
using testing::ScriptedJobYaml;
using Strings = std::vector<std::string>;

std::string Phase(const OperatorCluster& c, const std::string& pod) {
  auto p = c.FindPod(pod);
  return p ? p->status.phase : "<none>";
}

TEST_CASE("ExitCode: a retryable exit code makes the controller recreate the pod") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("ec", "ExitCode", "run 20s, signal SIGKILL", 1, "forever"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Running", "ec"); }, 5));
  const std::string uid = c.FindPod("ec-master-0")->metadata.uid;
  // The master dies of SIGKILL (exit code 137) at 20s.
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Restarting", "ec"); }, 30));
  CHECK(c.loop.Now() == kRunStart + Seconds(20));
  CHECK(c.Conditions("ec") ==
        std::vector<Cond>{{"Created", "True", "PyTorchJobCreated", "PyTorchJob ec is created."},
                          {"Restarting", "True", "PyTorchJobRestarting",
                           "job ec is restarting because Master replica(s) failed."}});
  auto exited = c.JobEvents("ec", "ExitedWithCode");
  REQUIRE_FALSE(exited.empty());
  CHECK(exited[0].message == "Pod: default.ec-master-0 exited with code 137");
  CHECK(c.JobEvents("ec", "PyTorchJobRestarting").size() >= 1);
  // A new pod in the same slot; once it runs, Running replaces Restarting.
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Running", "ec"); }, 5));
  auto pod = c.FindPod("ec-master-0");
  CHECK(pod->metadata.uid != uid);
  CHECK(pod->spec.restart_policy == "Never");
  CHECK(pod->status.container_statuses.at(0).restart_count == 0);
  CHECK(c.States("ec") == Strings{"Created", "Running", "Restarting", "Running"});
  // It keeps dying every 20s and keeps being replaced: no backoffLimit, no end.
  c.RunFor(100);
  CHECK_FALSE(c.HasJobCondition("Failed", "ec"));
  CHECK(c.JobEvents("ec", "SuccessfulDeletePod").at(0).count >= 5);
}

TEST_CASE(
    "ExitCode: a permanent exit code fails the job with the quoted message and no "
    "completionTime") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("ec", "ExitCode", "forever", 1, "run 10s, exit 1",
                              "  runPolicy: {ttlSecondsAfterFinished: 5}\n"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed", "ec"); }, 30));
  CHECK(c.Conditions("ec") ==
        std::vector<Cond>{{"Created", "True", "PyTorchJobCreated", "PyTorchJob ec is created."},
                          {"Running", "False", "PyTorchJobRunning", "PyTorchJob ec is running."},
                          {"Failed", "True", "PyTorchJobFailed",
                           "job \"ec\" is failing because \"Worker\" replica(s) failed."}});
  CHECK_FALSE(c.Job("ec")->status.completion_time);
  CHECK(Phase(c, "ec-worker-0") == "Failed");  // kept, not recreated
  // Without a completionTime the TTL can never fire
  // (docs/upstream/training-operator.md#no-completiontime-on-exitcode-failures).
  c.RunFor(120);
  CHECK(c.Job("ec"));
  CHECK(c.TraceContains("job completion time is nil, cannot cleanup"));
  CHECK(c.HasNote("docs/upstream/training-operator.md#no-completiontime-on-exitcode-failures"));
}

TEST_CASE("Never: a failed worker fails the job with a completionTime and keeps the pod") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("nv", "Never", "forever", 2, "run 10s, exit 1"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed", "nv"); }, 30));
  const Time failed_at = c.loop.Now();
  auto job = c.Job("nv");
  REQUIRE(job->status.completion_time);
  CHECK(*job->status.completion_time == failed_at);
  CHECK(c.Conditions("nv").back() ==
        Cond{"Failed", "True", "PyTorchJobFailed",
             "PyTorchJob nv is failed because 2 Worker replica(s) failed."});
  CHECK(c.Conditions("nv")[1] ==
        Cond{"Running", "False", "PyTorchJobRunning", "PyTorchJob nv is running."});
  // cleanPodPolicy None (the default): nothing is deleted, the master runs on.
  CHECK(Phase(c, "nv-worker-0") == "Failed");
  CHECK(Phase(c, "nv-worker-1") == "Failed");
  CHECK(Phase(c, "nv-master-0") == "Running");
}

TEST_CASE("OnFailure: the kubelet restarts failed containers in place, unseen by the controller") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("of", "OnFailure", "run 60s, exit 0", 1,
                              "run 5s, exit 1 | run 5s, exit 3 | forever"));
  const std::string uid = [&] {
    REQUIRE(c.RunUntilFor([&] { return c.FindPod("of-worker-0") != nullptr; }, 1));
    return c.FindPod("of-worker-0")->metadata.uid;
  }();
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Succeeded", "of"); }, 100));
  CHECK(c.loop.Now() == kRunStart + Seconds(60));
  auto worker = c.FindPod("of-worker-0");
  CHECK(worker->metadata.uid == uid);
  CHECK(worker->status.container_statuses.at(0).restart_count == 2);
  CHECK(c.States("of") == Strings{"Created", "Running", "Succeeded"});
  CHECK(c.JobEvents("of", "PyTorchJobRestarting").empty());
  // The Master's success ends the job; the running worker is reported as succeeded.
  c.RunFor(1);
  CHECK(c.Job("of")->status.replica_statuses.at("Worker").succeeded == 1);
  CHECK(c.Job("of")->status.replica_statuses.at("Worker").active == 0);
  CHECK(Phase(c, "of-worker-0") == "Running");
}

TEST_CASE("Always: a replica restarts even after exit 0, so a Master with Always never succeeds") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("al", "Always", "run 5s, exit 0", 1, "forever"));
  c.RunFor(120);
  CHECK(c.States("al") == Strings{"Created", "Running"});
  CHECK(c.FindPod("al-master-0")->status.container_statuses.at(0).restart_count >= 3);
}

TEST_CASE("Running and Restarting replace each other, and nothing changes after Failed") {
  OperatorCluster c;
  c.AddNode("node-1");
  // The Master (ExitCode) dies of SIGTERM at 10s and is recreated; its new pod
  // runs again, and dies again every 10s. The Worker (also ExitCode) exits 2
  // at 33s or 35s (after init-pytorch): a permanent failure.
  c.CreateJob(R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: rr}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      restartPolicy: ExitCode
      template:
        metadata:
          annotations: {script.ptsim.io/pytorch: "run 10s, signal SIGTERM"}
        spec:
          containers: [{name: pytorch, image: trainer}]
    Worker:
      replicas: 1
      restartPolicy: ExitCode
      template:
        metadata:
          annotations: {script.ptsim.io/pytorch: "run 33s, exit 2"}
        spec:
          containers: [{name: pytorch, image: trainer}]
)");
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed", "rr"); }, 60));
  const auto frozen = c.Job("rr")->status;
  CHECK(c.States("rr") == Strings{"Created", "Running", "Restarting", "Running", "Restarting",
                                  "Running", "Restarting", "Running", "Failed"});
  // A finished job's pods are no longer reconciled: the master that dies at
  // 40s stays Failed, and the status does not move.
  c.RunFor(60);
  CHECK(Phase(c, "rr-master-0") == "Failed");
  CHECK(c.Job("rr")->status.conditions == frozen.conditions);
  CHECK(c.Job("rr")->status.replica_statuses == frozen.replica_statuses);
}

}  // namespace
}  // namespace ptsim
