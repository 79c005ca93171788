// The job's status as PyTorchJobReconciler.UpdateJobStatus and ReconcilePods
// write it (docs/upstream/training-operator.md#success-and-failure-rules,
// docs/upstream/training-operator.md#replica-statuses-and-times): who makes a
// job Running or Succeeded, replicaStatuses counting, startTime, and the events
// that go with them. Pod phases are written by hand (no nodes).
#include <catch2/catch.hpp>

#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::Cond;
using testing::OperatorCluster;
using testing::ScriptedJobYaml;
using testing::UpstreamJobYaml;

TEST_CASE("with a Master, running workers alone do not make the job Running") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(2));
  c.SetPodPhase("test-job-worker-0", "Running");
  c.SetPodPhase("test-job-worker-1", "Running");
  CHECK(c.Conditions() == std::vector<Cond>{{"Created", "True", "PyTorchJobCreated",
                                             "PyTorchJob test-job is created."}});
  CHECK(c.Job()->status.replica_statuses.at("Worker").active == 2);
  c.SetPodPhase("test-job-master-0", "Running");
  CHECK(c.Conditions().back() ==
        Cond{"Running", "True", "PyTorchJobRunning", "PyTorchJob test-job is running."});
}

TEST_CASE("startTime is set by the reconcile that creates the pods, before any pod runs") {
  OperatorCluster c;
  c.RunFor(7);
  c.CreateJob(UpstreamJobYaml(1));
  CHECK(c.Job()->status.start_time == kRunStart + Seconds(7));
  CHECK(c.Job()->status.replica_statuses.at("Master").active == 0);  // Pending is not active
  auto created = c.JobEvents("test-job", "SuccessfulCreatePod");
  REQUIRE(created.size() == 2);
  CHECK(created[0].message == "Created pod: test-job-master-0");
  CHECK(created[1].message == "Created pod: test-job-worker-0");
  auto services = c.JobEvents("test-job", "SuccessfulCreateService");
  REQUIRE(services.size() == 2);
  CHECK(services[0].message == "Created service: test-job-master-0");
}

TEST_CASE("a Master's success finishes the job whatever its workers do, with a note") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(2));
  c.SetPodPhase("test-job-worker-0", "Running");
  c.SetPodPhase("test-job-worker-1", "Running");
  c.SetPodPhase("test-job-master-0", "Running");
  c.SetPodPhase("test-job-master-0", "Succeeded");
  auto job = c.Job();
  CHECK(c.Conditions() ==
        std::vector<Cond>{
            {"Created", "True", "PyTorchJobCreated", "PyTorchJob test-job is created."},
            {"Running", "False", "PyTorchJobRunning", "PyTorchJob test-job is running."},
            {"Succeeded", "True", "PyTorchJobSucceeded",
             "PyTorchJob test-job is successfully completed."}});
  CHECK(job->status.completion_time == c.loop.Now());
  auto events = c.JobEvents("test-job", "PyTorchJobSucceeded");
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "Normal");
  // The finished job's next reconcile reports the running workers as succeeded.
  CHECK(job->status.replica_statuses.at("Worker").succeeded == 2);
  CHECK(job->status.replica_statuses.at("Worker").active == 0);
  CHECK(c.FindPod("test-job-worker-0")->status.phase == "Running");
  CHECK(c.HasNote("docs/upstream/training-operator.md#master-success-ignores-workers"));
}

TEST_CASE("a worker-only job succeeds when every worker has, and says so with its namespace") {
  OperatorCluster c;
  c.CreateJob(ScriptedJobYaml("wo", "", "", 2, "forever"));
  c.SetPodPhase("wo-worker-0", "Running");
  CHECK(c.Conditions("wo").back() ==
        Cond{"Running", "True", "PyTorchJobRunning", "PyTorchJob default/wo is running."});
  c.SetPodPhase("wo-worker-0", "Succeeded");
  CHECK_FALSE(c.HasJobCondition("Succeeded", "wo"));
  c.SetPodPhase("wo-worker-1", "Succeeded");
  CHECK(c.Conditions("wo").back() == Cond{"Succeeded", "True", "PyTorchJobSucceeded",
                                          "PyTorchJob default/wo successfully completed."});
}

TEST_CASE("an elastic worker-only job succeeds as soon as one worker has") {
  OperatorCluster c;
  c.CreateJob(ScriptedJobYaml("el", "", "", 3, "forever", "  elasticPolicy: {maxReplicas: 3}\n"));
  c.SetPodPhase("el-worker-0", "Running");
  c.SetPodPhase("el-worker-2", "Succeeded");
  CHECK(c.HasJobCondition("Succeeded", "el"));
  // Then the running worker is counted as succeeded too; the Pending one is not.
  CHECK(c.Job("el")->status.replica_statuses.at("Worker").succeeded == 2);
}

TEST_CASE("an OnFailure pod that fails anyway (evicted) is deleted and recreated") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1));
  c.SetPodPhase("test-job-master-0", "Running");
  const std::string uid = c.FindPod("test-job-worker-0")->metadata.uid;
  c.SetPodStatus("test-job-worker-0", [](PodStatus& s) {
    s.phase = "Failed";
    s.reason = "Evicted";
  });
  auto pod = c.FindPod("test-job-worker-0");
  REQUIRE(pod);
  CHECK(pod->metadata.uid != uid);
  // No terminated pytorch container: the exit code is the 0xbeef sentinel.
  CHECK(c.JobEvents("test-job", "ExitedWithCode").empty());
  auto restarting = c.JobEvents("test-job", "PyTorchJobRestarting");
  REQUIRE_FALSE(restarting.empty());
  CHECK(restarting[0].type == "Warning");
  CHECK(restarting[0].message == "job test-job is restarting because Worker replica(s) failed.");
  // The Master is running: the reconcile after the recreation puts Running back.
  CHECK(c.States() == std::vector<std::string>{"Created", "Running", "Restarting", "Running"});
}

TEST_CASE("an ExitCode pod without a terminated pytorch container is retried (0xbeef)") {
  OperatorCluster c;
  std::string yaml = UpstreamJobYaml(1);
  const std::string marker = "    Worker:\n      replicas: 1\n";
  yaml.replace(yaml.find(marker), marker.size(), marker + "      restartPolicy: ExitCode\n");
  c.CreateJob(yaml);
  const std::string uid = c.FindPod("test-job-worker-0")->metadata.uid;
  // Another container failed; pytorch exited 0. Exit code 0 is "permanent".
  c.SetPodStatus("test-job-worker-0", [](PodStatus& s) { s.phase = "Failed"; });
  CHECK(c.FindPod("test-job-worker-0")->metadata.uid != uid);
  CHECK_FALSE(c.HasJobCondition("Failed"));
  c.SetPodExited("test-job-worker-0", "Failed", 0);
  CHECK(c.HasJobCondition("Failed"));
}

}  // namespace
}  // namespace ptsim
