// What differs between the operator profiles
// (docs/upstream/training-operator.md#release-profiles,
// docs/upstream/training-operator.md#known-upstream-bugs): each release ptsim
// emulates, and the `fixed` profile, shows at least one behaviour the others do
// not.
#include <catch2/catch.hpp>

#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::Cond;
using testing::OperatorCluster;
using testing::ScriptedJobYaml;
using testing::UpstreamJobYaml;
using Strings = std::vector<std::string>;

std::string WithWorkerPolicy(std::string yaml, const std::string& policy) {
  const std::string marker = "    Worker:\n      replicas: ";
  const auto at = yaml.find(marker);
  const auto eol = yaml.find('\n', at + marker.size());
  yaml.insert(eol + 1, "      restartPolicy: " + policy + "\n");
  return yaml;
}

// ---------------------------------------------------------------------------
// v1.7.0

TEST_CASE("v1.7.0: a non-retryable ExitCode failure leaves the job Restarting forever (#2044)") {
  OperatorCluster c(OperatorVersion::kV1_7_0);
  c.CreateJob(WithWorkerPolicy(UpstreamJobYaml(1), "ExitCode"));
  c.SetPodPhase("test-job-master-0", "Running");
  c.SetPodExited("test-job-worker-0", "Failed", 1);
  c.RunFor(60);
  CHECK(c.Conditions().back() ==
        Cond{"Restarting", "True", "PyTorchJobRestarting",
             "PyTorchJob test-job is restarting because 1 Worker replica(s) failed."});
  CHECK_FALSE(c.HasJobCondition("Failed"));
  CHECK(c.FindPod("test-job-worker-0")->status.phase == "Failed");  // neither deleted nor failed
  CHECK(c.HasNote("kubeflow/trainer#2044"));

  OperatorCluster v181(OperatorVersion::kV1_8_1);
  v181.CreateJob(WithWorkerPolicy(UpstreamJobYaml(1), "ExitCode"));
  v181.SetPodPhase("test-job-master-0", "Running");
  v181.SetPodExited("test-job-worker-0", "Failed", 1);
  CHECK(v181.Conditions().back() ==
        Cond{"Failed", "True", "PyTorchJobFailed",
             "job \"test-job\" is failing because \"Worker\" replica(s) failed."});
}

TEST_CASE("v1.7.0: worker 0 of a job without a Master has no job-role label") {
  OperatorCluster c(OperatorVersion::kV1_7_0);
  c.CreateJob(ScriptedJobYaml("wo", "", "", 2, "forever"));
  CHECK_FALSE(c.FindPod("wo-worker-0")->metadata.labels.count(kJobRoleLabel));
  OperatorCluster v181(OperatorVersion::kV1_8_1);
  v181.CreateJob(ScriptedJobYaml("wo", "", "", 2, "forever"));
  CHECK(v181.FindPod("wo-worker-0")->metadata.labels.at(kJobRoleLabel) == "master");
}

TEST_CASE(
    "v1.7.0: PET_NPROC_PER_NODE sits between RANK and PET_NODE_RANK, and only with a Master") {
  OperatorCluster c(OperatorVersion::kV1_7_0);
  c.CreateJob(UpstreamJobYaml(1));
  CHECK(c.EnvList("test-job-worker-0") ==
        Strings{"PYTHONUNBUFFERED=1", "MASTER_PORT=8080", "PET_MASTER_PORT=8080",
                "MASTER_ADDR=test-job-master-0", "PET_MASTER_ADDR=test-job-master-0",
                "WORLD_SIZE=2", "RANK=1", "PET_NPROC_PER_NODE=auto", "PET_NODE_RANK=1",
                "PET_NNODES=2"});
  OperatorCluster worker_only(OperatorVersion::kV1_7_0);
  worker_only.CreateJob(ScriptedJobYaml("wo", "", "", 1, "forever"));
  CHECK(worker_only.EnvList("wo-worker-0") == Strings{"PYTHONUNBUFFERED=1", "PET_NNODES=1"});
}

TEST_CASE(
    "v1.7.0: an invalid job is accepted, and the controller only reports it, again and again") {
  std::string yaml = UpstreamJobYaml(1);
  yaml.replace(yaml.find("Master:\n      replicas: 1"), 25, "Master:\n      replicas: 2");
  OperatorCluster c(OperatorVersion::kV1_7_0);
  c.CreateJob(yaml);
  c.RunFor(60);
  auto events = c.JobEvents("test-job", "PyTorchJobFailedValidation");
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "Warning");
  CHECK(events[0].message ==
        "PyTorchJob failed validation because PyTorchJobSpec is not valid: There must be only 1 "
        "master replica");
  // Reconcile returns the error: the rate limiter retries it (5ms, 10ms, ...).
  CHECK(events[0].count > 10);
  CHECK(c.PodNames().empty());
  CHECK(c.Job()->status.conditions.empty());

  OperatorCluster v181(OperatorVersion::kV1_8_1);
  auto r = v181.SubmitJob(yaml);
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics().items().at(0).message ==
        "admission webhook \"validator.pytorchjob.training-operator.kubeflow.org\" denied the "
        "request: spec.pytorchReplicaSpecs[Master].replicas: Forbidden: must be 1");
}

TEST_CASE(
    "v1.7.0: a template restartPolicy is reported with reason SettedPodTemplateRestartPolicy") {
  std::string yaml = UpstreamJobYaml(1);
  yaml.replace(yaml.find("        spec:\n"), 14, "        spec:\n          restartPolicy: Never\n");
  OperatorCluster c(OperatorVersion::kV1_7_0);
  c.CreateJob(yaml);
  CHECK(c.JobEvents("test-job", "SettedPodTemplateRestartPolicy").size() == 1);
  OperatorCluster v194;
  v194.CreateJob(yaml);
  CHECK(v194.JobEvents("test-job", "SetPodTemplateRestartPolicy").size() == 1);
}

TEST_CASE("v1.7.0: a suspended job with a TTL never records that it is suspended") {
  const std::string yaml =
      UpstreamJobYaml(1, "  runPolicy: {suspend: true, ttlSecondsAfterFinished: 60}\n");
  OperatorCluster c(OperatorVersion::kV1_7_0);
  c.CreateJob(yaml);
  c.RunFor(10);
  // CleanupJob runs in the suspend branch and fails on the nil completionTime
  // before the status is written (v1.8.1 skips the TTL of suspended jobs).
  CHECK(c.Job()->status.conditions.empty());
  CHECK(c.TraceContains("job completion time is nil, cannot cleanup"));
  OperatorCluster v181(OperatorVersion::kV1_8_1);
  v181.CreateJob(yaml);
  CHECK(v181.HasJobCondition("Suspended"));
}

// ---------------------------------------------------------------------------
// v1.8.1 and v1.9

TEST_CASE(
    "v1.8.1 admits what the v1.9 webhook rejects: zero workers, elastic without Worker, any "
    "managedBy") {
  struct Case {
    std::string yaml;
    std::string v19_message;
  };
  const std::string elastic_master_only =
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: test-job}\nspec:\n"
      "  elasticPolicy: {maxReplicas: 2}\n  pytorchReplicaSpecs:\n    Master:\n      replicas: 1\n"
      "      template:\n        spec:\n          containers: [{name: pytorch, image: x}]\n";
  const std::vector<Case> cases = {
      {UpstreamJobYaml(0),
       "spec.pytorchReplicaSpecs[Worker].replicas: Forbidden: must be at least 1"},
      {elastic_master_only,
       "spec.pytorchReplicaSpecs[Worker]: Required value: must be configured if elastic policy is "
       "used"},
      {UpstreamJobYaml(1, "  runPolicy: {managedBy: other-job-controller}\n"),
       "spec.runPolicy.managedBy: Unsupported value: \"other-job-controller\": supported values: "
       "\"kubeflow.org/training-operator\", \"kueue.x-k8s.io/multikueue\""}};
  for (const auto& k : cases) {
    INFO(k.yaml);
    OperatorCluster v181(OperatorVersion::kV1_8_1);
    CHECK(v181.SubmitJob(k.yaml).ok());
    for (auto v : {OperatorVersion::kV1_9_0, OperatorVersion::kV1_9_4}) {
      OperatorCluster v19(v);
      auto r = v19.SubmitJob(k.yaml);
      REQUIRE_FALSE(r.ok());
      CHECK_THAT(r.diagnostics().items().at(0).message, Catch::EndsWith(k.v19_message));
    }
  }
}

TEST_CASE("v1.8.1 reconciles a job whatever its managedBy, v1.9 leaves it to that controller") {
  const std::string yaml =
      UpstreamJobYaml(1, "  runPolicy: {managedBy: kueue.x-k8s.io/multikueue}\n");
  OperatorCluster v181(OperatorVersion::kV1_8_1);
  v181.CreateJob(yaml);
  CHECK(v181.PodNames().size() == 2);
  CHECK(v181.HasJobCondition("Created"));
  OperatorCluster v190(OperatorVersion::kV1_9_0);
  v190.CreateJob(yaml);
  CHECK(v190.PodNames().empty());
  CHECK(v190.Job()->status.conditions.empty());
}

// ---------------------------------------------------------------------------
// v1.9.4

TEST_CASE(
    "v1.9.4 honours cleanPodPolicy when the deadline fails a job, v1.9.0 deletes every pod "
    "(kubeflow/trainer#3419)") {
  const std::string yaml = UpstreamJobYaml(1, "  runPolicy: {activeDeadlineSeconds: 5}\n");
  for (auto v : {OperatorVersion::kV1_9_0, OperatorVersion::kV1_9_4}) {
    OperatorCluster c(v);
    c.CreateJob(yaml);
    c.SetPodPhase("test-job-master-0", "Running");
    c.RunFor(6);
    c.SetPodPhase("test-job-worker-0", "Running");  // the next reconcile
    REQUIRE(c.HasJobCondition("Failed"));
    if (v == OperatorVersion::kV1_9_4) {
      CHECK(c.PodNames().size() == 2);
      CHECK_FALSE(c.HasNote("kubeflow/trainer#3419"));
    } else {
      CHECK(c.PodNames().empty());
      CHECK(c.ServiceNames().empty());
      CHECK(c.HasNote("kubeflow/trainer#3419"));
    }
  }
}

// ---------------------------------------------------------------------------
// fixed

TEST_CASE("fixed: activeDeadlineSeconds fails a quiet job on time (#3358 corrected)") {
  OperatorCluster c(OperatorVersion::kFixed);
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("ad", "OnFailure", "forever", 1, "forever",
                              "  runPolicy: {activeDeadlineSeconds: 10}\n"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed", "ad"); }, 60));
  CHECK(c.loop.Now() == kRunStart + Seconds(10));
  CHECK_FALSE(c.HasNote("kubeflow/trainer#3358"));
}

TEST_CASE("fixed: pods recreated under ExitCode count toward backoffLimit (#2045 corrected)") {
  OperatorCluster c(OperatorVersion::kFixed);
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("ec", "ExitCode", "forever", 1, "run 5s, signal SIGKILL",
                              "  runPolicy: {backoffLimit: 2}\n"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Failed", "ec"); }, 60));
  CHECK(std::get<3>(c.Conditions("ec").back()) ==
        "Job ec has failed because it has reached the specified backoff limit");
  CHECK(c.JobEvents("ec", "SuccessfulDeletePod").at(0).count == 2);
}

TEST_CASE(
    "fixed: a non-retryable ExitCode failure sets completionTime, so the TTL deletes the job") {
  OperatorCluster c(OperatorVersion::kFixed);
  c.CreateJob(WithWorkerPolicy(UpstreamJobYaml(1, "  runPolicy: {ttlSecondsAfterFinished: 10}\n"),
                               "ExitCode"));
  c.SetPodExited("test-job-worker-0", "Failed", 3);
  REQUIRE(c.HasJobCondition("Failed"));
  CHECK(c.Job()->status.completion_time == c.loop.Now());
  REQUIRE(c.RunUntilFor([&] { return !c.Job(); }, 11));

  OperatorCluster v194;
  v194.CreateJob(WithWorkerPolicy(
      UpstreamJobYaml(1, "  runPolicy: {ttlSecondsAfterFinished: 10}\n"), "ExitCode"));
  v194.SetPodExited("test-job-worker-0", "Failed", 3);
  REQUIRE(v194.HasJobCondition("Failed"));
  CHECK_FALSE(v194.Job()->status.completion_time);
  v194.RunFor(60);
  CHECK(v194.Job());
}

}  // namespace
}  // namespace ptsim
