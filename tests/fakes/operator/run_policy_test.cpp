// The run policy of a PyTorchJob (docs/upstream/training-operator.md,
// backoffLimit to suspend): backoffLimit as upstream counts it,
// activeDeadlineSeconds checked only when a reconcile happens,
// ttlSecondsAfterFinished, cleanPodPolicy after success and failure, suspend
// and resume. Some cases write pod status by hand (no nodes), the others run
// scripted containers on a kubelet.
#include <catch2/catch.hpp>

#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::Cond;
using testing::OperatorCluster;
using testing::ScriptedJobYaml;
using testing::UpstreamJobYaml;
using Strings = std::vector<std::string>;

const Cond kBackoffFailed{"Failed", "True", "PyTorchJobFailed",
                          "Job test-job has failed because it has reached the specified backoff "
                          "limit"};

std::string LastMessage(const OperatorCluster& c, const std::string& job = "test-job") {
  auto conds = c.Conditions(job);
  return conds.empty() ? "" : std::get<3>(conds.back());
}

// ---------------------------------------------------------------------------
// backoffLimit (docs/upstream/training-operator.md#backofflimit)

TEST_CASE("backoffLimit: a crash-looping OnFailure worker fails the job at its limit") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("bo", "OnFailure", "forever", 1, "run 1s, exit 1",
                              "  runPolicy: {backoffLimit: 2}\n"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed", "bo"); }, 120));
  CHECK(LastMessage(c, "bo") ==
        "Job bo has failed because it has reached the specified backoff "
        "limit");
  auto job = c.Job("bo");
  REQUIRE(job->status.completion_time);
  CHECK(*job->status.completion_time == c.loop.Now());
  // The second restart: the first is immediate, the second after 10s of back-off.
  auto worker = c.FindPod("bo-worker-0");
  CHECK(worker->status.container_statuses.at(0).restart_count == 2);
  CHECK(worker->status.phase == "Running");
  // v1.9.4 honours cleanPodPolicy (None) on this path: the pods stay.
  CHECK(c.PodNames() == Strings{"bo-master-0", "bo-worker-0"});
}

TEST_CASE(
    "backoffLimit counts restarts of Running pods only, of every container and init container") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(2, "  runPolicy: {backoffLimit: 3}\n"));
  // Restarts of a Pending pod (init containers crash-looping) do not count.
  c.SetPodStatus("test-job-worker-0", [](PodStatus& s) {
    ContainerStatus init;
    init.name = "init-pytorch";
    init.restart_count = 5;
    s.init_container_statuses = {init};
  });
  // Nor do those of a Succeeded pod.
  c.SetPodStatus("test-job-worker-1", [](PodStatus& s) {
    s.phase = "Succeeded";
    ContainerStatus cs;
    cs.name = "pytorch";
    cs.restart_count = 7;
    s.container_statuses = {cs};
  });
  c.SetPodRunningWithRestarts("test-job-master-0", 1);
  CHECK_FALSE(c.HasJobCondition("Failed"));
  // worker-0 starts running: its init container's 5 restarts now count (1 + 5 >= 3).
  c.SetPodPhase("test-job-worker-0", "Running");
  CHECK(c.Conditions().back() == kBackoffFailed);
}

TEST_CASE("backoffLimit ignores restarts of replica types whose restartPolicy is Never") {
  OperatorCluster c;
  std::string yaml = UpstreamJobYaml(1, "  runPolicy: {backoffLimit: 1}\n");
  const std::string marker = "    Master:\n      replicas: 1\n";
  yaml.replace(yaml.find(marker), marker.size(), marker + "      restartPolicy: Never\n");
  c.CreateJob(yaml);
  c.SetPodRunningWithRestarts("test-job-master-0", 4);
  CHECK_FALSE(c.HasJobCondition("Failed"));
  c.SetPodRunningWithRestarts("test-job-worker-0", 1);  // OnFailure: counted
  CHECK(c.Conditions().back() == kBackoffFailed);
}

TEST_CASE("backoffLimit 0 fails the job at the first in-place restart") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1, "  runPolicy: {backoffLimit: 0}\n"));
  c.SetPodRunningWithRestarts("test-job-master-0", 0);
  CHECK_FALSE(c.HasJobCondition("Failed"));
  c.SetPodRunningWithRestarts("test-job-worker-0", 1);
  CHECK(c.Conditions().back() == kBackoffFailed);
}

TEST_CASE("backoffLimit 0 fails the job with the backoff message at the first new Failed pod") {
  OperatorCluster c;
  std::string yaml = UpstreamJobYaml(1, "  runPolicy: {backoffLimit: 0}\n");
  const std::string marker = "    Worker:\n      replicas: 1\n";
  yaml.replace(yaml.find(marker), marker.size(), marker + "      restartPolicy: Never\n");
  c.CreateJob(yaml);
  c.SetPodPhase("test-job-master-0", "Running");
  // A Never worker fails: the backoff check runs before UpdateJobStatus would
  // report the Never failure, and "a new failure while not all pods are
  // active" exceeds a limit of 0.
  c.SetPodExited("test-job-worker-0", "Failed", 1);
  CHECK(c.Conditions().back() == kBackoffFailed);
}

TEST_CASE("backoffLimit 1 leaves a Never failure to the Never rule") {
  OperatorCluster c;
  std::string yaml = UpstreamJobYaml(1, "  runPolicy: {backoffLimit: 1}\n");
  const std::string marker = "    Worker:\n      replicas: 1\n";
  yaml.replace(yaml.find(marker), marker.size(), marker + "      restartPolicy: Never\n");
  c.CreateJob(yaml);
  c.SetPodPhase("test-job-master-0", "Running");
  c.SetPodExited("test-job-worker-0", "Failed", 1);
  CHECK(c.Conditions().back() ==
        Cond{"Failed", "True", "PyTorchJobFailed",
             "PyTorchJob test-job is failed because 1 Worker replica(s) failed."});
}

TEST_CASE("backoffLimit 0 catches a retryable ExitCode failure before the pod is recreated") {
  OperatorCluster c;
  std::string yaml = UpstreamJobYaml(1, "  runPolicy: {backoffLimit: 0}\n");
  const std::string marker = "    Worker:\n      replicas: 1\n";
  yaml.replace(yaml.find(marker), marker.size(), marker + "      restartPolicy: ExitCode\n");
  c.CreateJob(yaml);
  c.SetPodPhase("test-job-master-0", "Running");
  c.SetPodExited("test-job-worker-0", "Failed", 137);
  CHECK(c.Conditions().back() == kBackoffFailed);
  CHECK(c.JobEvents("test-job", "PyTorchJobRestarting").empty());
}

TEST_CASE(
    "backoffLimit does not count pods recreated under ExitCode, so they are retried forever "
    "(kubeflow/trainer#2045)") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("ec", "ExitCode", "forever", 1, "run 5s, signal SIGKILL",
                              "  runPolicy: {backoffLimit: 1}\n"));
  c.RunFor(200);
  CHECK_FALSE(c.HasJobCondition("Failed", "ec"));
  CHECK(c.JobEvents("ec", "SuccessfulDeletePod").at(0).count >= 10);
  CHECK(c.HasNote("kubeflow/trainer#2045"));
}

// ---------------------------------------------------------------------------
// activeDeadlineSeconds (docs/upstream/training-operator.md#activedeadlineseconds)

TEST_CASE(
    "activeDeadlineSeconds is enforced only at the next reconcile something else triggers "
    "(kubeflow/trainer#3358)") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("ad", "OnFailure", "run 100s, exit 0", 1, "forever",
                              "  runPolicy: {activeDeadlineSeconds: 10}\n"));
  REQUIRE(c.Job("ad")->status.start_time == kRunStart);
  c.RunFor(99);
  CHECK(c.States("ad") == Strings{"Created", "Running"});
  CHECK(c.HasNote("kubeflow/trainer#3358"));
  // The master exits 0 at 100s: that pod update is the next reconcile, and the
  // deadline check comes before the success rule.
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed", "ad"); }, 2));
  CHECK(c.loop.Now() == kRunStart + Seconds(100));
  CHECK(LastMessage(c, "ad") ==
        "Job ad has failed because it was active longer than specified deadline");
  CHECK(*c.Job("ad")->status.completion_time == kRunStart + Seconds(100));
  CHECK_FALSE(c.HasJobCondition("Succeeded", "ad"));
}

TEST_CASE("activeDeadlineSeconds is measured from startTime, which resuming resets") {
  OperatorCluster c(OperatorVersion::kFixed);  // on-time deadline, to see exactly when
  c.CreateJob(UpstreamJobYaml(1, "  runPolicy: {activeDeadlineSeconds: 30}\n"));
  c.RunFor(20);
  c.EditJob("test-job", [](PyTorchJob& j) { j.spec.run_policy.suspend = true; });
  c.RunFor(80);
  CHECK(c.Job()->status.start_time == kRunStart);  // kept while suspended
  c.EditJob("test-job", [](PyTorchJob& j) { j.spec.run_policy.suspend = false; });
  CHECK(c.Job()->status.start_time == kRunStart + Seconds(100));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed"); }, 60));
  CHECK(c.loop.Now() == kRunStart + Seconds(130));
}

// ---------------------------------------------------------------------------
// ttlSecondsAfterFinished (docs/upstream/training-operator.md#ttlsecondsafterfinished)

TEST_CASE(
    "ttlSecondsAfterFinished deletes the job just after completionTime plus the TTL, and its pods "
    "and services with it") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("ttl", "OnFailure", "run 10s, exit 0", 2, "forever",
                              "  runPolicy: {ttlSecondsAfterFinished: 30}\n"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Succeeded", "ttl"); }, 20));
  const Time done = *c.Job("ttl")->status.completion_time;
  CHECK(done == kRunStart + Seconds(10));
  c.RunFor(ToSeconds(done + Seconds(30) - c.loop.Now()));
  CHECK(c.Job("ttl"));  // not strictly after the expiry yet
  REQUIRE(c.RunUntilFor([&] { return !c.Job("ttl"); }, 1));
  CHECK(c.loop.Now() - (done + Seconds(30)) < Millis(50));
  auto deleted = c.JobEvents("ttl", "SuccessfulDeletePod");
  REQUIRE_FALSE(deleted.empty());
  CHECK(deleted.back().message == "Deleted job: ttl");
  // Garbage collection: the running workers are deleted gracefully, then gone.
  REQUIRE(c.RunUntilFor([&] { return c.PodNames().empty(); }, 60));
  CHECK(c.ServiceNames().empty());
}

TEST_CASE("ttlSecondsAfterFinished 0 deletes a failed job right after it fails") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("ttl", "Never", "forever", 1, "run 5s, exit 1",
                              "  runPolicy: {ttlSecondsAfterFinished: 0}\n"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed", "ttl"); }, 20));
  const Time failed = c.loop.Now();
  REQUIRE(c.RunUntilFor([&] { return !c.Job("ttl"); }, 1));
  CHECK(c.loop.Now() - failed < Millis(50));
}

// ---------------------------------------------------------------------------
// cleanPodPolicy (docs/upstream/training-operator.md#cleanpodpolicy): what
// remains of a finished job. On success the Master has ended (Succeeded) and
// two workers still run; on failure (Never) the two workers have failed and the
// Master still runs.

Strings PodsAfterFinish(const std::string& policy, bool fail) {
  OperatorCluster c;
  c.AddNode("node-1");
  const std::string spec_extra =
      policy == "<unset>" ? "" : "  runPolicy: {cleanPodPolicy: \"" + policy + "\"}\n";
  c.CreateJob(ScriptedJobYaml("cp", "Never", fail ? "forever" : "run 20s, exit 0", 2,
                              fail ? "run 10s, exit 1" : "forever", spec_extra));
  const std::string done = fail ? "Failed" : "Succeeded";
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition(done, "cp"); }, 60));
  c.RunFor(60);  // graceful deletions complete
  CHECK(c.ServiceNames() == c.PodNames());
  return c.PodNames();
}

const Strings kAll = {"cp-master-0", "cp-worker-0", "cp-worker-1"};

TEST_CASE("cleanPodPolicy None keeps every pod of a succeeded job") {
  CHECK(PodsAfterFinish("None", false) == kAll);
  CHECK(PodsAfterFinish("<unset>", false) == kAll);
}

TEST_CASE("cleanPodPolicy Running deletes the running pods of a succeeded job") {
  CHECK(PodsAfterFinish("Running", false) == Strings{"cp-master-0"});
}

TEST_CASE("cleanPodPolicy All deletes every pod of a succeeded job") {
  CHECK(PodsAfterFinish("All", false).empty());
}

TEST_CASE("cleanPodPolicy None keeps every pod of a failed job") {
  CHECK(PodsAfterFinish("None", true) == kAll);
}

TEST_CASE("cleanPodPolicy Running deletes the running pods of a failed job") {
  CHECK(PodsAfterFinish("Running", true) == Strings{"cp-worker-0", "cp-worker-1"});
}

TEST_CASE("cleanPodPolicy All deletes every pod of a failed job") {
  CHECK(PodsAfterFinish("All", true).empty());
}

TEST_CASE("a cleanPodPolicy other than None or Running, even an explicit empty one, acts as All") {
  CHECK(PodsAfterFinish("Everything", false).empty());
  CHECK(PodsAfterFinish("", false).empty());
}

TEST_CASE("cleanPodPolicy Running deletes Pending pods too") {
  OperatorCluster c;  // no nodes: the workers stay Pending
  c.CreateJob(UpstreamJobYaml(2, "  runPolicy: {cleanPodPolicy: Running}\n"));
  c.SetPodPhase("test-job-master-0", "Succeeded");
  REQUIRE(c.HasJobCondition("Succeeded"));
  CHECK(c.PodNames() == Strings{"test-job-master-0"});
  CHECK(c.ServiceNames() == Strings{"test-job-master-0"});
}

// ---------------------------------------------------------------------------
// suspend and resume (docs/upstream/training-operator.md#suspend-and-resume)

TEST_CASE(
    "suspending a running job deletes its pods whatever the cleanPodPolicy, keeps startTime, and "
    "resuming recreates them with a new startTime") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("sus", "OnFailure", "forever", 2, "forever"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Running", "sus"); }, 5));
  c.RunFor(10);
  const std::string uid = c.FindPod("sus-master-0")->metadata.uid;
  c.EditJob("sus", [](PyTorchJob& j) { j.spec.run_policy.suspend = true; });
  REQUIRE(c.RunUntilFor([&] { return c.PodNames().empty(); }, 60));
  CHECK(c.ServiceNames().empty());
  CHECK(c.Job("sus")->status.start_time == kRunStart);
  CHECK(c.States("sus") == Strings{"Created", "Running", "Suspended"});
  CHECK(c.Job("sus")->status.replica_statuses.at("Worker").active == 0);
  // Every reconcile while suspended records the event again.
  CHECK(c.JobEvents("sus", "PyTorchJobSuspended").at(0).count >= 2);
  c.RunFor(100);
  c.EditJob("sus", [](PyTorchJob& j) { j.spec.run_policy.suspend = false; });
  const Time resumed = c.loop.Now();
  CHECK(c.Job("sus")->status.start_time == resumed);
  CHECK(c.JobEvents("sus", "PyTorchJobResumed").at(0).message == "PyTorchJob sus is resumed.");
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Running", "sus"); }, 5));
  CHECK(c.FindPod("sus-master-0")->metadata.uid != uid);
  CHECK(c.PodNames().size() == 3);
  CHECK(c.Conditions("sus") ==
        std::vector<Cond>{{"Created", "True", "PyTorchJobCreated", "PyTorchJob sus is created."},
                          {"Suspended", "False", "PyTorchJobResumed", "PyTorchJob sus is resumed."},
                          {"Running", "True", "PyTorchJobRunning", "PyTorchJob sus is running."}});
}

TEST_CASE("a finished job ignores suspend") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1));
  c.SetPodPhase("test-job-master-0", "Succeeded");
  REQUIRE(c.HasJobCondition("Succeeded"));
  c.EditJob("test-job", [](PyTorchJob& j) { j.spec.run_policy.suspend = true; });
  CHECK_FALSE(c.HasJobCondition("Suspended"));
  CHECK(c.PodNames().size() == 2);
}

TEST_CASE("a suspended job is never deleted by its TTL") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1, "  runPolicy: {ttlSecondsAfterFinished: 5, suspend: true}\n"));
  c.SetJobStatus("test-job", [&](JobStatus& s) {
    UpdateJobConditions(&s, "Succeeded", "True", JobReason("Succeeded"), "done", c.loop.Now());
    s.completion_time = c.loop.Now();
  });
  c.RunFor(60);
  CHECK(c.Job());
}

}  // namespace
}  // namespace ptsim
