// Scaling a PyTorchJob's Worker replicas by editing its spec (by hand, or as
// the HorizontalPodAutoscaler would through the scale subresource), and the HPA
// the operator keeps for elastic jobs with metrics
// (docs/upstream/training-operator.md#pod-slots-and-scaling,
// docs/upstream/training-operator.md#elastic-jobs-and-the-hpa).
#include <catch2/catch.hpp>

#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::OperatorCluster;
using testing::ScriptedJobYaml;
using Strings = std::vector<std::string>;

void SetWorkers(OperatorCluster& c, const std::string& job, int n) {
  c.EditJob(job, [n](PyTorchJob& j) { j.spec.pytorch_replica_specs->at("Worker").replicas = n; });
}

TEST_CASE("scaling Worker replicas up creates the missing pods and services with the new world") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("sc", "OnFailure", "forever", 1, "forever"));
  REQUIRE(c.RunUntilFor([&] { return c.HasJobCondition("Running", "sc"); }, 5));
  SetWorkers(c, "sc", 3);
  CHECK(c.PodNames() == Strings{"sc-master-0", "sc-worker-0", "sc-worker-1", "sc-worker-2"});
  CHECK(c.ServiceNames() == c.PodNames());
  CHECK(c.Env("sc-worker-2", "WORLD_SIZE") == "4");
  CHECK(c.Env("sc-worker-0", "WORLD_SIZE") == "2");  // existing pods keep their env
  c.RunFor(10);
  CHECK(c.Job("sc")->status.replica_statuses.at("Worker").active == 3);
}

TEST_CASE(
    "scaling Worker replicas down deletes the highest indices, counted as failed while they "
    "terminate") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(ScriptedJobYaml("sc", "OnFailure", "forever", 3, "forever"));
  REQUIRE(c.RunUntilFor(
      [&] { return c.Job("sc")->status.replica_statuses.at("Worker").active == 3; }, 10));
  int most_failed = 0;
  c.api.collection<PyTorchJob>().Watch([&](const WatchEvent<PyTorchJob>& e) {
    auto it = e.object->status.replica_statuses.find("Worker");
    if (it != e.object->status.replica_statuses.end())
      most_failed = std::max(most_failed, it->second.failed);
  });
  SetWorkers(c, "sc", 1);
  CHECK(c.ServiceNames() == Strings{"sc-master-0", "sc-worker-0"});
  REQUIRE(c.RunUntilFor([&] { return c.PodNames().size() == 2; }, 60));
  CHECK(c.PodNames() == Strings{"sc-master-0", "sc-worker-0"});
  // Running pods with a deletionTimestamp count as failed
  // (docs/upstream/training-operator.md#terminating-pods-count-as-failed), but
  // one Running worker is all one replica needs: no Restarting.
  CHECK(most_failed >= 1);
  CHECK(c.States("sc") == Strings{"Created", "Running"});
  const auto& rs = c.Job("sc")->status.replica_statuses.at("Worker");
  CHECK(rs.active == 1);
  CHECK(rs.failed == 0);
}

TEST_CASE("Worker replicas 0 under v1.7.0 and v1.8.1 loops: worker-0 created and deleted") {
  // kubeflow/trainer#1709: GetPodSlices has at least one slot, every empty
  // slot gets a pod (and a service), and a pod at an index >= replicas is
  // deleted at the next reconcile, until the job finishes. The writes are
  // paced by the client's rate limit (20/s, burst 30).
  const auto version = GENERATE(OperatorVersion::kV1_7_0, OperatorVersion::kV1_8_1);
  OperatorCluster c(version);
  int created = 0;
  int deleted = 0;
  c.api.collection<Pod>().Watch([&](const WatchEvent<Pod>& e) {
    if (e.object->metadata.name != "test-job-worker-0") return;
    if (e.type == WatchEventType::kAdded) ++created;
    if (e.type == WatchEventType::kDeleted) ++deleted;
  });
  c.CreateJob(testing::UpstreamJobYaml(0));
  CHECK(c.HasNote("kubeflow/trainer#1709"));
  c.RunFor(10);
  // No node: each pod is unbound and goes at once; the loop runs at the
  // limiter's pace: a round costs at least two writes (the pod's create and
  // delete), so 10 s give at most (30 + 20 * 10) / 2 + 1 rounds.
  INFO("created " << created << ", deleted " << deleted);
  CHECK(created >= 80);
  CHECK(created <= 116);
  CHECK(deleted >= created - 1);
  CHECK(deleted <= created);
  CHECK(c.JobEvents("test-job", "SuccessfulCreatePod").size() >= 1);
  CHECK(c.JobEvents("test-job", "SuccessfulDeletePod").size() >= 1);
  std::int32_t create_count = 0;
  for (const auto& e : c.JobEvents("test-job", "SuccessfulCreatePod")) {
    if (e.message == "Created pod: test-job-worker-0") create_count += e.count;
  }
  CHECK(create_count == created);
  // The Master is untouched.
  CHECK(c.FindPod("test-job-master-0"));

  // The loop stops when the job finishes: the Master succeeds.
  c.SetPodPhase("test-job-master-0", "Succeeded");
  c.RunFor(5);
  const int at_finish = created;
  c.RunFor(30);
  CHECK(created == at_finish);
  CHECK(c.HasJobCondition("Succeeded"));
}

TEST_CASE("Worker replicas 0 with the fixed profile creates no worker and says so") {
  // v1.9 rejects replicas 0 at admission; the fixed profile decodes it as
  // v1.9 does, so submit it past the webhook.
  OperatorCluster c(OperatorVersion::kFixed);
  c.CreateJobUnchecked(testing::UpstreamJobYaml(0));
  c.RunFor(10);
  CHECK(c.PodNames() == Strings{"test-job-master-0"});
  CHECK(c.ServiceNames() == Strings{"test-job-master-0"});
  CHECK(c.HasNote("kubeflow/trainer#1709"));
  CHECK(c.JobEvents("test-job", "SuccessfulDeletePod").empty());
}

// ---------------------------------------------------------------------------
// The HPA (pkg/controller.v1/pytorch/hpa.go)

const char* const kElastic = R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: el}
spec:
  elasticPolicy:
    minReplicas: 1
    maxReplicas: 3
    metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
  pytorchReplicaSpecs:
    Worker:
      replicas: 2
      template:
        metadata:
          annotations: {script.ptsim.io/pytorch: forever}
        spec:
          containers: [{name: pytorch, image: trainer}]
)";

TEST_CASE("an elastic job with metrics gets an HPA that targets it, owned by it") {
  OperatorCluster c;
  auto job = c.CreateJob(kElastic);
  auto hpa = c.FindHpa("el");
  REQUIRE(hpa);
  CHECK(hpa->spec.scale_target_ref.kind == "PyTorchJob");
  CHECK(hpa->spec.scale_target_ref.name == "el");
  CHECK(hpa->spec.scale_target_ref.api_version == "kubeflow.org/v1");
  CHECK(hpa->spec.min_replicas == 1);
  CHECK(hpa->spec.max_replicas == 3);
  CHECK(hpa->spec.metrics ==
        nlohmann::json::parse(R"([{"type": "Resource", "resource": {"name": "cpu", "target":
                              {"type": "Utilization", "averageUtilization": 80}}}])"));
  REQUIRE(hpa->metadata.owner_references.size() == 1);
  CHECK(hpa->metadata.owner_references[0].uid == job->metadata.uid);
  CHECK(hpa->metadata.owner_references[0].controller);
}

TEST_CASE("an elastic job without metrics, or a job without elasticPolicy, gets no HPA") {
  OperatorCluster c;
  std::string yaml = kElastic;
  yaml.replace(yaml.find("    metrics:"),
               yaml.find("  pytorchReplicaSpecs:") - yaml.find("    metrics:"), "");
  c.CreateJob(yaml);
  CHECK_FALSE(c.FindHpa("el"));
  c.CreateJob(testing::UpstreamJobYaml(1));
  CHECK(c.api.collection<HorizontalPodAutoscaler>().size() == 0);
}

TEST_CASE("the HPA follows the elasticPolicy, goes with suspend, comes back on resume") {
  OperatorCluster c;
  c.CreateJob(kElastic);
  c.EditJob("el", [](PyTorchJob& j) { j.spec.elastic_policy->max_replicas = 5; });
  CHECK(c.FindHpa("el")->spec.max_replicas == 5);
  c.EditJob("el", [](PyTorchJob& j) { j.spec.run_policy.suspend = true; });
  CHECK_FALSE(c.FindHpa("el"));
  c.EditJob("el", [](PyTorchJob& j) { j.spec.run_policy.suspend = false; });
  REQUIRE(c.FindHpa("el"));
  CHECK(c.FindHpa("el")->spec.max_replicas == 5);
}

TEST_CASE("the HPA and every pod and service go with the job") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(kElastic);
  c.RunFor(5);
  c.DeleteJob("el");
  REQUIRE(c.RunUntilFor([&] { return c.PodNames().empty(); }, 60));
  CHECK_FALSE(c.FindHpa("el"));
  CHECK(c.ServiceNames().empty());
}

TEST_CASE("the HPA scaling through the scale subresource adds workers to an elastic job") {
  OperatorCluster c;
  c.AddNode("node-1");
  c.CreateJob(kElastic);
  REQUIRE(c.RunUntilFor(
      [&] { return c.Job("el")->status.replica_statuses.at("Worker").active == 2; }, 10));
  // What the HPA reads: status.replicaStatuses.Worker.{active,selector}.
  CHECK(c.Job("el")->status.replica_statuses.at("Worker").selector ==
        "training.kubeflow.org/job-name=el,training.kubeflow.org/operator-name=pytorchjob-"
        "controller,training.kubeflow.org/replica-type=worker");
  // What it writes: spec.pytorchReplicaSpecs.Worker.replicas.
  c.api.collection<PyTorchJob>().Mutate("default", "el", [](PyTorchJob& j) {
    j.spec.pytorch_replica_specs->at("Worker").replicas = 3;
  });
  REQUIRE(c.RunUntilFor(
      [&] { return c.Job("el")->status.replica_statuses.at("Worker").active == 3; }, 10));
  // The elastic env does not change with the count: PET_NNODES is min:max.
  CHECK(c.Env("el-worker-2", "PET_NNODES") == "1:3");
  CHECK(c.Env("el-worker-0", "PET_NNODES") == "1:3");
}

}  // namespace
}  // namespace ptsim
