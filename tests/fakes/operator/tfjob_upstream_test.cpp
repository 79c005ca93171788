// The TFJob tests of pkg/controller.v1/tensorflow (training-operator v1.9.0;
// docs/upstream/training-operator.md#upstream-tests) that exercise the generic
// job loop PyTorchJobs share (ReconcileJobs, ReconcilePods,
// DeletePodsAndServices, CleanupJob), re-expressed for PyTorch: PS and Worker
// become Master and Worker, and the controller is driven through the store with
// pod phases written by hand, as the envtest suite does. Where a TF test calls
// ReconcileJobs directly, a pod update triggers the reconcile here.
#include <catch2/catch.hpp>

#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::Cond;
using testing::OperatorCluster;
using testing::UpstreamJobYaml;

// The note a job with a TTL and no completionTime gets.
constexpr const char* kNoCompletionTimeNote =
    "docs/upstream/training-operator.md#no-completiontime-on-exitcode-failures";

std::string Policy(const std::string& lines) {
  return "  runPolicy:\n" + lines;
}

// Triggers a reconcile the way any pod event does.
void TouchPod(OperatorCluster& c, const std::string& pod) {
  c.api.collection<Pod>().Mutate("default", pod,
                                 [](Pod& p) { p.metadata.annotations["touched"] = "yes"; });
  c.Settle();
}

std::vector<std::string> AllPods(int workers) {
  std::vector<std::string> out = {"test-job-master-0"};
  for (int i = 0; i < workers; ++i)
    out.push_back("test-job-worker-" + std::to_string(i));
  return out;
}

// ---------------------------------------------------------------------------
// job_test.go "Test Delete Pods and Services": a Succeeded job with 6 pods.

std::size_t RemainingAfterSuccess(const std::string& policy, const std::string& pod_phase) {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(5, Policy("    cleanPodPolicy: " + policy + "\n")));
  if (pod_phase == "Running") {
    for (const auto& p : AllPods(5))
      c.SetPodPhase(p, "Running");
    // The job is already Succeeded in the TF test's setup.
    c.SetJobStatus("test-job", [&](JobStatus& s) {
      UpdateJobConditions(&s, "Succeeded", "True", JobReason("Succeeded"), "done", c.loop.Now());
    });
  } else {
    // Workers first: the Master's success finishes the job.
    for (int i = 0; i < 5; ++i)
      c.SetPodPhase("test-job-worker-" + std::to_string(i), "Succeeded");
    c.SetPodPhase("test-job-master-0", "Succeeded");
    REQUIRE(c.HasJobCondition("Succeeded"));
  }
  CHECK(c.PodNames().size() == c.ServiceNames().size());
  return c.PodNames().size();
}

TEST_CASE("upstream TF Test Delete Pods and Services: Running pods and cleanPodPolicy All") {
  CHECK(RemainingAfterSuccess("All", "Running") == 0);
}

TEST_CASE("upstream TF Test Delete Pods and Services: Running pods and cleanPodPolicy Running") {
  CHECK(RemainingAfterSuccess("Running", "Running") == 0);
}

TEST_CASE("upstream TF Test Delete Pods and Services: Succeeded pods and cleanPodPolicy Running") {
  CHECK(RemainingAfterSuccess("Running", "Succeeded") == 6);
}

TEST_CASE("upstream TF Test Delete Pods and Services: Succeeded pods and cleanPodPolicy None") {
  CHECK(RemainingAfterSuccess("None", "Succeeded") == 6);
}

// ---------------------------------------------------------------------------
// job_test.go "Test Active Deadline Seconds": 6 Running pods, cleanPodPolicy All.

TEST_CASE("upstream TF Test Active Deadline Seconds: no activeDeadlineSeconds keeps every pod") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(5, Policy("    cleanPodPolicy: All\n")));
  for (const auto& p : AllPods(5))
    c.SetPodPhase(p, "Running");
  c.RunFor(2);
  TouchPod(c, "test-job-master-0");
  CHECK(c.PodNames().size() == 6);
  CHECK(c.ServiceNames().size() == 6);
  CHECK_FALSE(c.HasJobCondition("Failed"));
}

TEST_CASE(
    "upstream TF Test Active Deadline Seconds: activeDeadlineSeconds 2 fails the job and deletes "
    "every pod") {
  OperatorCluster c;
  c.CreateJob(
      UpstreamJobYaml(5, Policy("    cleanPodPolicy: All\n    activeDeadlineSeconds: 2\n")));
  for (const auto& p : AllPods(5))
    c.SetPodPhase(p, "Running");
  c.RunFor(2);
  TouchPod(c, "test-job-master-0");
  CHECK(c.PodNames().empty());
  CHECK(c.ServiceNames().empty());
  CHECK(c.Conditions().back() ==
        Cond{"Failed", "True", "PyTorchJobFailed",
             "Job test-job has failed because it was active longer than specified deadline"});
}

// job_test.go "Test Backoff For On Failure": every pod Running, 4 workers with
// one restart each, OnFailure, backoffLimit 4, cleanPodPolicy All.

TEST_CASE("upstream TF Test Backoff For On Failure: four restarts reach backoffLimit 4") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(4, Policy("    cleanPodPolicy: All\n    backoffLimit: 4\n")));
  c.SetPodPhase("test-job-master-0", "Running");
  for (int i = 0; i < 4; ++i) {
    CHECK_FALSE(c.HasJobCondition("Failed"));
    c.SetPodRunningWithRestarts("test-job-worker-" + std::to_string(i), 1);
  }
  CHECK(c.PodNames().empty());
  CHECK(c.ServiceNames().empty());
  CHECK(c.Conditions().back() ==
        Cond{"Failed", "True", "PyTorchJobFailed",
             "Job test-job has failed because it has reached the specified backoff limit"});
}

// job_test.go "Test TTL Seconds After Finished": one worker, ttl 3s.

const char* const kTtlJob = R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: test-job}
spec:
  runPolicy: {ttlSecondsAfterFinished: 3}
  pytorchReplicaSpecs:
    Worker:
      replicas: 1
      restartPolicy: Never
      template:
        spec:
          containers: [{name: pytorch, image: test-image}]
)";

TEST_CASE("upstream TF Test TTL Seconds After Finished: a Succeeded job is deleted after its TTL") {
  OperatorCluster c;
  c.CreateJob(kTtlJob);
  c.SetPodPhase("test-job-worker-0", "Succeeded");
  REQUIRE(c.HasJobCondition("Succeeded"));
  c.RunFor(2.9);
  CHECK(c.Job());
  c.RunFor(0.2);
  CHECK_FALSE(c.Job());
  CHECK(c.PodNames().empty());  // garbage collected with their owner
  CHECK(c.ServiceNames().empty());
}

TEST_CASE("upstream TF Test TTL Seconds After Finished: a Failed job is deleted after its TTL") {
  OperatorCluster c;
  c.CreateJob(kTtlJob);
  c.SetPodExited("test-job-worker-0", "Failed", 1);
  REQUIRE(c.HasJobCondition("Failed"));
  c.RunFor(2.9);
  CHECK(c.Job());
  c.RunFor(0.2);
  CHECK_FALSE(c.Job());
  CHECK(c.PodNames().empty());
}

// ---------------------------------------------------------------------------
// tfjob_controller_test.go "TFJob is created and is cleaned up": CleanupJob on
// a finished job, whose status the test writes.

struct CleanupCase {
  std::optional<int> ttl;
  bool suspended = false;
  // Seconds before now of the completion time; nullopt for none.
  std::optional<double> completed_ago;
  double run_first = 0;  // virtual seconds to let pass before finishing the job
};

struct CleanupOutcome {
  bool removed;
  bool errored;
};

CleanupOutcome RunCleanup(const CleanupCase& k) {
  OperatorCluster c;
  std::string policy;
  if (k.ttl) policy += "    ttlSecondsAfterFinished: " + std::to_string(*k.ttl) + "\n";
  if (k.suspended) policy += "    suspend: true\n";
  c.CreateJob(UpstreamJobYaml(1, policy.empty() ? "" : Policy(policy)));
  c.RunFor(k.run_first);
  c.SetJobStatus("test-job", [&](JobStatus& s) {
    UpdateJobConditions(&s, "Succeeded", "True", JobReason("Succeeded"), "done", c.loop.Now());
    if (k.completed_ago) s.completion_time = c.loop.Now() - Seconds(*k.completed_ago);
  });
  c.RunFor(1);
  // CleanupJob's error leaves a note; Reconcile's own DurationUntilExpireTime
  // fails with the same message whenever a finished job with a TTL has no
  // completionTime, suspended or not.
  return {!c.Job(), c.HasNote(kNoCompletionTimeNote)};
}

TEST_CASE("upstream TF CleanupJob: no TTL keeps the job without error") {
  auto r = RunCleanup({std::nullopt, false, 0, 0});
  CHECK_FALSE(r.removed);
  CHECK_FALSE(r.errored);
}

TEST_CASE("upstream TF CleanupJob: no TTL, suspended, no completion time gives no error") {
  auto r = RunCleanup({std::nullopt, true, std::nullopt, 0});
  CHECK_FALSE(r.removed);
  CHECK_FALSE(r.errored);
}

TEST_CASE("upstream TF CleanupJob: TTL 10, suspended, no completion time gives no error") {
  auto r = RunCleanup({10, true, std::nullopt, 0});
  CHECK_FALSE(r.removed);
  CHECK_FALSE(r.errored);
}

// Beyond the TF table: CleanupJob skips the suspended job, but Reconcile's
// DurationUntilExpireTime does not look at suspend, so the reconcile still
// fails with "job completion time is nil, cannot cleanup" and is retried.
TEST_CASE(
    "a suspended finished job with a TTL and no completionTime still fails its reconciles in "
    "DurationUntilExpireTime") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1, Policy("    ttlSecondsAfterFinished: 10\n    suspend: true\n")));
  c.SetJobStatus("test-job", [&](JobStatus& s) {
    UpdateJobConditions(&s, "Succeeded", "True", JobReason("Succeeded"), "done", c.loop.Now());
  });
  c.RunFor(1);
  CHECK(c.TraceContains("job completion time is nil, cannot cleanup"));
  CHECK_FALSE(c.HasNote(kNoCompletionTimeNote));
  CHECK(c.Job());
}

TEST_CASE("upstream TF CleanupJob: TTL 10 and no completion time is an error") {
  auto r = RunCleanup({10, false, std::nullopt, 0});
  CHECK_FALSE(r.removed);
  CHECK(r.errored);
}

TEST_CASE("upstream TF CleanupJob: TTL 180 and completion a day ago removes the job") {
  auto r = RunCleanup({180, false, 86400, 86400 + 10});
  CHECK(r.removed);
  CHECK_FALSE(r.errored);
}

TEST_CASE("upstream TF CleanupJob: TTL 0 and completion now removes the job") {
  auto r = RunCleanup({0, false, 0, 0});
  CHECK(r.removed);
  CHECK_FALSE(r.errored);
}

// tfjob_controller_test.go "CreateNewService": "Succeeded to create service".
// (Its two error cases have no PyTorch counterpart: defaulting always gives
// the pytorch container a port, and the store always gives the job a uid.)

TEST_CASE("upstream TF CreateNewService: Succeeded to create service") {
  OperatorCluster c;
  auto job = c.CreateJob(UpstreamJobYaml(1));
  auto svc = c.FindService("test-job-worker-0");
  REQUIRE(svc);
  const Labels labels = {{"training.kubeflow.org/job-name", "test-job"},
                         {"training.kubeflow.org/operator-name", "pytorchjob-controller"},
                         {"training.kubeflow.org/replica-index", "0"},
                         {"training.kubeflow.org/replica-type", "worker"}};
  CHECK(svc->metadata.labels == labels);
  CHECK(svc->spec.selector == std::map<std::string, std::string>(labels.begin(), labels.end()));
  CHECK(svc->spec.cluster_ip == "None");
  CHECK(svc->spec.type == "ClusterIP");
  REQUIRE(svc->spec.ports.size() == 1);
  CHECK(svc->spec.ports[0].name == "pytorchjob-port");
  CHECK(svc->spec.ports[0].port == 8080);
  CHECK(svc->spec.ports[0].protocol == "TCP");
  CHECK(svc->spec.ports[0].target_port == 8080);
  REQUIRE(svc->metadata.owner_references.size() == 1);
  CHECK(svc->metadata.owner_references[0].uid == job->metadata.uid);
  CHECK(svc->metadata.owner_references[0].controller);
}

// ---------------------------------------------------------------------------
// pod_test.go "Test Restart Policy": the replica's policy wins over the
// template's, with a warning.

std::string PodPolicyOverTemplate(const std::string& replica_policy) {
  OperatorCluster c;
  c.CreateJob(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: test-job}\n"
      "spec:\n  pytorchReplicaSpecs:\n    Worker:\n      replicas: 1\n"
      "      restartPolicy: " +
      replica_policy +
      "\n      template:\n        spec:\n          restartPolicy: Always\n"
      "          containers: [{name: pytorch, image: test-image}]\n");
  auto events = c.JobEvents("test-job", "SetPodTemplateRestartPolicy");
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "Warning");
  CHECK(events[0].message ==
        "Restart policy in pod template will be overwritten by restart policy in replica spec");
  return c.FindPod("test-job-worker-0")->spec.restart_policy;
}

TEST_CASE("upstream TF Test Restart Policy: ExitCode becomes Never") {
  CHECK(PodPolicyOverTemplate("ExitCode") == "Never");
}

TEST_CASE("upstream TF Test Restart Policy: Never stays Never") {
  CHECK(PodPolicyOverTemplate("Never") == "Never");
}

TEST_CASE("upstream TF Test Restart Policy: Always stays Always") {
  CHECK(PodPolicyOverTemplate("Always") == "Always");
}

TEST_CASE("upstream TF Test Restart Policy: OnFailure stays OnFailure") {
  CHECK(PodPolicyOverTemplate("OnFailure") == "OnFailure");
}

// pod_test.go "Test Exit Code" and "Test Unretryable Exit Code": one worker
// with restartPolicy ExitCode.

std::string ExitCodeJob(const std::string& name) {
  return "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: " + name +
         "}\nspec:\n  pytorchReplicaSpecs:\n    Worker:\n      replicas: 1\n"
         "      restartPolicy: ExitCode\n      template:\n        spec:\n"
         "          containers: [{name: pytorch, image: test-image}]\n";
}

TEST_CASE("upstream TF Test Exit Code: exit code 130 deletes the pod") {
  OperatorCluster c;
  c.CreateJob(ExitCodeJob("test-exit-code"));
  const std::string uid = c.FindPod("test-exit-code-worker-0")->metadata.uid;
  c.SetPodExited("test-exit-code-worker-0", "Failed", 130);
  // Deleted; the next reconcile creates a new pod in its slot.
  auto pod = c.FindPod("test-exit-code-worker-0");
  REQUIRE(pod);
  CHECK(pod->metadata.uid != uid);
  CHECK(pod->status.phase == "Pending");
  CHECK(c.JobEvents("test-exit-code", "SuccessfulDeletePod").size() == 1);
  CHECK_FALSE(c.HasJobCondition("Failed", "test-exit-code"));
}

TEST_CASE("upstream TF Test Unretryable Exit Code: exit code 1 fails the job") {
  OperatorCluster c;
  c.CreateJob(ExitCodeJob("test-noretry-exit-code"));
  c.SetPodExited("test-noretry-exit-code-worker-0", "Failed", 1);
  const auto conds = c.Conditions("test-noretry-exit-code");
  CHECK(std::find(conds.begin(), conds.end(),
                  Cond{"Failed", "True", "PyTorchJobFailed",
                       "job \"test-noretry-exit-code\" is failing because \"Worker\" replica(s) "
                       "failed."}) != conds.end());
}

// pod_test.go "Test Scale Down" and "Test Scale Up".

TEST_CASE("upstream TF Test Scale Down: replicas 2 with pods 0, 1 and 2 deletes pod 2") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(3));
  c.EditJob("test-job",
            [](PyTorchJob& j) { j.spec.pytorch_replica_specs->at("Worker").replicas = 2; });
  CHECK(c.PodNames() ==
        std::vector<std::string>{"test-job-master-0", "test-job-worker-0", "test-job-worker-1"});
  CHECK(c.ServiceNames() == c.PodNames());
}

TEST_CASE("upstream TF Test Scale Up: replicas 3 with pod 0 creates two pods") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1));
  c.EditJob("test-job",
            [](PyTorchJob& j) { j.spec.pytorch_replica_specs->at("Worker").replicas = 3; });
  CHECK(c.PodNames() == std::vector<std::string>{"test-job-master-0", "test-job-worker-0",
                                                 "test-job-worker-1", "test-job-worker-2"});
  CHECK(c.ServiceNames() == c.PodNames());
}

}  // namespace
}  // namespace ptsim
