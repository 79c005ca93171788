// The upstream tests of pkg/controller.v1/pytorch (training-operator v1.9.0,
// identical in v1.9.4; docs/upstream/training-operator.md#upstream-tests),
// ported: the envtest cases of pytorchjob_controller_test.go drive the
// controller through the store with no kubelet, writing pod phases by hand;
// elastic_test.go and initcontainer_test.go call the env and init-container
// builders directly.
#include <algorithm>
#include <catch2/catch.hpp>

#include "fakes/operator/pod_env.hpp"
#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::Cond;
using testing::OperatorCluster;
using testing::UpstreamJobYaml;

bool HasEnv(const std::vector<std::string>& env, const std::string& entry) {
  return std::find(env.begin(), env.end(), entry) != env.end();
}

void CheckControllerRef(const ObjectMeta& m, const PyTorchJob& job) {
  REQUIRE(m.owner_references.size() == 1);
  const OwnerReference& r = m.owner_references[0];
  CHECK(r.api_version == "kubeflow.org/v1");
  CHECK(r.kind == "PyTorchJob");
  CHECK(r.name == job.metadata.name);
  CHECK(r.uid == job.metadata.uid);
  CHECK(r.controller);
  CHECK(r.block_owner_deletion);
}

// ---------------------------------------------------------------------------
// Context "When creating the PyTorchJob"

TEST_CASE("upstream PyTorchJob controller: Should get the corresponding resources successfully") {
  OperatorCluster c;
  auto job = c.CreateJob(UpstreamJobYaml());
  auto pod = c.FindPod("test-job-master-0");
  auto svc = c.FindService("test-job-master-0");
  REQUIRE(pod);
  REQUIRE(svc);
  // Check the pod port.
  const auto& ports = pod->spec.containers[0].ports;
  REQUIRE(ports.size() == 1);
  CHECK(ports[0].name == "pytorchjob-port");
  CHECK(ports[0].container_port == 8080);
  CHECK(ports[0].protocol == "TCP");
  // Check MASTER_PORT and MASTER_ADDR env.
  REQUIRE(svc->spec.ports.size() == 1);
  CHECK(c.Env("test-job-master-0", "MASTER_PORT") == std::to_string(svc->spec.ports[0].port));
  CHECK(c.Env("test-job-master-0", "MASTER_ADDR") == svc->metadata.name);
  CHECK(c.Env("test-job-master-0", "PET_NPROC_PER_NODE") == "auto");
  CHECK(svc->spec.ports[0].port == 8080);
  // Check the owner references.
  CheckControllerRef(pod->metadata, *job);
  CheckControllerRef(svc->metadata, *job);

  // Test job status.
  c.SetPodPhase("test-job-master-0", "Succeeded");
  auto updated = c.Job();
  REQUIRE(updated->status.replica_statuses.count("Master"));
  CHECK(updated->status.replica_statuses.at("Master").succeeded == 1);
  CHECK(c.HasJobCondition("Succeeded"));
}

// The queue of a PyTorchJob's schedulingPolicy is immutable through a CEL rule
// of the CRD (x-kubernetes-validations `self == oldSelf`), enforced by the API
// server on update (sim/model/pytorchjob_crd_validation).
TEST_CASE(
    "upstream PyTorchJob controller: Shouldn't be updated resources if "
    "spec.runPolicy.schedulingPolicy.queue is changed after the job is created") {
  OperatorCluster c;
  c.CreateJob(
      UpstreamJobYaml(2, "  runPolicy:\n    schedulingPolicy:\n      queue: initial-queue\n"));
  auto r = c.UpdateJob("test-job",
                       [](PyTorchJob& j) { j.spec.run_policy.scheduling_policy->queue = "test"; });
  CHECK_FALSE(r.ok());
  CHECK_THAT(r.diagnostics().Render(),
             Catch::Contains("spec.runPolicy.schedulingPolicy.queue is immutable"));
  CHECK(c.Job()->spec.run_policy.scheduling_policy->queue == "initial-queue");
}

TEST_CASE("upstream PyTorchJob controller: Shouldn't create resources if PyTorchJob is suspended") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1, "  runPolicy:\n    suspend: true\n"));
  // Consistently, for 3s.
  for (int i = 0; i < 3; ++i) {
    c.RunFor(1);
    CHECK_FALSE(c.Job()->status.start_time);
    CHECK_FALSE(c.FindPod("test-job-master-0"));
    CHECK_FALSE(c.FindPod("test-job-worker-0"));
    CHECK_FALSE(c.FindService("test-job-master-0"));
    CHECK_FALSE(c.FindService("test-job-worker-0"));
  }
  CHECK(c.Conditions() ==
        std::vector<Cond>{
            {"Created", "True", "PyTorchJobCreated", "PyTorchJob test-job is created."},
            {"Suspended", "True", "PyTorchJobSuspended", "PyTorchJob test-job is suspended."}});
}

TEST_CASE(
    "upstream PyTorchJob controller: Should delete resources after PyTorchJob is suspended and "
    "Should resume PyTorchJob after PyTorchJob is unsuspended") {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1));
  const auto t0 = c.Job()->status.start_time;
  REQUIRE(t0);
  REQUIRE(c.FindPod("test-job-master-0"));
  REQUIRE(c.FindPod("test-job-worker-0"));
  REQUIRE(c.FindService("test-job-master-0"));
  REQUIRE(c.FindService("test-job-worker-0"));
  c.SetPodPhase("test-job-master-0", "Running");
  c.SetPodPhase("test-job-worker-0", "Running");
  CHECK(c.Conditions() ==
        std::vector<Cond>{
            {"Created", "True", "PyTorchJobCreated", "PyTorchJob test-job is created."},
            {"Running", "True", "PyTorchJobRunning", "PyTorchJob test-job is running."}});
  c.RunFor(2);

  // Suspend.
  c.EditJob("test-job", [](PyTorchJob& j) { j.spec.run_policy.suspend = true; });
  for (int i = 0; i < 3; ++i) {
    CHECK(c.PodNames().empty());
    CHECK(c.ServiceNames().empty());
    auto job = c.Job();
    CHECK(job->status.replica_statuses.at("Master").active == 0);
    CHECK(job->status.replica_statuses.at("Worker").active == 0);
    CHECK(job->status.start_time == t0);
    c.RunFor(1);
  }
  CHECK(c.Conditions() ==
        std::vector<Cond>{
            {"Created", "True", "PyTorchJobCreated", "PyTorchJob test-job is created."},
            {"Running", "False", "PyTorchJobSuspended", "PyTorchJob test-job is suspended."},
            {"Suspended", "True", "PyTorchJobSuspended", "PyTorchJob test-job is suspended."}});

  // Resume.
  c.EditJob("test-job", [](PyTorchJob& j) { j.spec.run_policy.suspend = false; });
  REQUIRE(c.Job()->status.start_time);
  REQUIRE(c.FindPod("test-job-master-0"));
  REQUIRE(c.FindPod("test-job-worker-0"));
  REQUIRE(c.FindService("test-job-master-0"));
  REQUIRE(c.FindService("test-job-worker-0"));
  c.SetPodPhase("test-job-master-0", "Running");
  c.SetPodPhase("test-job-worker-0", "Running");
  CHECK(c.Conditions() ==
        std::vector<Cond>{
            {"Created", "True", "PyTorchJobCreated", "PyTorchJob test-job is created."},
            {"Suspended", "False", "PyTorchJobResumed", "PyTorchJob test-job is resumed."},
            {"Running", "True", "PyTorchJobRunning", "PyTorchJob test-job is running."}});
  CHECK(c.Job()->status.start_time != t0);
}

TEST_CASE(
    "upstream PyTorchJob controller: Should not reconcile a job while managed by external "
    "controller") {
  OperatorCluster c(OperatorVersion::kV1_9_0);
  c.CreateJob(UpstreamJobYaml(
      1, "  runPolicy:\n    managedBy: kueue.x-k8s.io/multikueue\n    suspend: true\n"));
  for (int i = 0; i < 3; ++i) {
    c.RunFor(1);
    CHECK_FALSE(c.Job()->status.start_time);
    CHECK(c.PodNames().empty());
    CHECK(c.ServiceNames().empty());
  }
  CHECK(c.Job()->status.conditions.empty());
  c.EditJob("test-job", [](PyTorchJob& j) { j.spec.run_policy.suspend = false; });
  for (int i = 0; i < 3; ++i) {
    c.RunFor(1);
    CHECK_FALSE(c.Job()->status.start_time);
    CHECK(c.PodNames().empty());
  }
  CHECK(c.Job()->status.conditions.empty());
}

// ---------------------------------------------------------------------------
// Context "When creating the elastic PyTorchJob"

const char* const kElasticJob = R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: elastic-job
spec:
  elasticPolicy:
    rdzvBackend: c10d
    minReplicas: 1
    maxReplicas: 3
    maxRestarts: 3
    metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageValue: 80
  pytorchReplicaSpecs:
    Worker:
      replicas: 1
      template:
        spec:
          containers:
          - name: pytorch
            image: test-image
            ports:
            - {name: pytorchjob-port, containerPort: 8080, protocol: TCP}
)";

TEST_CASE(
    "upstream PyTorchJob controller, elastic: Should get the corresponding resources "
    "successfully") {
  OperatorCluster c;
  auto job = c.CreateJob(kElasticJob);
  auto pod = c.FindPod("elastic-job-worker-0");
  auto svc = c.FindService("elastic-job-worker-0");
  REQUIRE(pod);
  REQUIRE(svc);
  REQUIRE(c.FindHpa("elastic-job"));
  const auto& ports = pod->spec.containers[0].ports;
  REQUIRE(ports.size() == 1);
  CHECK(ports[0].name == "pytorchjob-port");
  CHECK(ports[0].container_port == 8080);
  CHECK(ports[0].protocol == "TCP");
  const auto env = c.EnvList("elastic-job-worker-0");
  CHECK(HasEnv(env, "PET_RDZV_BACKEND=c10d"));
  CHECK(HasEnv(env, "PET_NNODES=1:3"));
  CHECK(HasEnv(env, "PET_RDZV_ENDPOINT=elastic-job-worker-0:8080"));
  CHECK(HasEnv(env, "PET_MAX_RESTARTS=3"));
  REQUIRE(svc->spec.ports.size() == 1);
  CHECK(svc->spec.ports[0].port == 8080);
  CheckControllerRef(pod->metadata, *job);
  CheckControllerRef(svc->metadata, *job);

  c.SetPodPhase("elastic-job-worker-0", "Succeeded");
  auto updated = c.Job("elastic-job");
  CHECK(updated->status.replica_statuses.at("Worker").succeeded == 1);
  CHECK(c.HasJobCondition("Succeeded", "elastic-job"));
}

TEST_CASE(
    "upstream PyTorchJob controller, elastic: Should delete HPA once the PyTorchJob is "
    "suspended") {
  OperatorCluster c;
  c.CreateJob(kElasticJob);
  REQUIRE(c.FindHpa("elastic-job"));
  c.EditJob("elastic-job", [](PyTorchJob& j) { j.spec.run_policy.suspend = true; });
  CHECK_FALSE(c.FindHpa("elastic-job"));
}

// ---------------------------------------------------------------------------
// elastic_test.go TestElasticGenerate: the elastic generator's variables are
// what SetPodEnv appends after PYTHONUNBUFFERED for a worker-only job with no
// nprocPerNode.

PyTorchJob WorkerOnlyJob() {
  PyTorchJob job;
  job.metadata.name = "test";
  ReplicaSpec worker;
  worker.replicas = 1;
  Container c;
  c.name = "pytorch";
  c.image = "test-image";
  c.ports.push_back({"pytorchjob-port", 23456, "", 0});
  worker.template_.spec.containers.push_back(c);
  job.spec.pytorch_replica_specs.emplace();
  (*job.spec.pytorch_replica_specs)["Worker"] = worker;
  return job;
}

std::vector<std::string> ElasticVars(const PyTorchJob& job) {
  PodSpec spec = job.spec.pytorch_replica_specs->at("Worker").template_.spec;
  REQUIRE(SetPodEnv(job, "worker", 0, &spec).ok());
  std::vector<std::string> out;
  for (const auto& e : spec.containers[0].env) {
    if (e.name != "PYTHONUNBUFFERED") out.push_back(e.name + "=" + e.value);
  }
  return out;
}

TEST_CASE("upstream TestElasticGenerate: Without ElasticPolicy") {
  // The elastic generator returns nil: the job gets the non-elastic PET_NNODES only.
  CHECK(ElasticVars(WorkerOnlyJob()) == std::vector<std::string>{"PET_NNODES=1"});
}

TEST_CASE("upstream TestElasticGenerate: With ElasticPolicy") {
  PyTorchJob job = WorkerOnlyJob();
  ElasticPolicy e;
  e.min_replicas = 1;
  e.max_replicas = 3;
  e.rdzv_backend = "c10d";
  e.rdzv_port = 1234;
  e.rdzv_host = "localhost";
  e.rdzv_id = "rdzv-id";
  e.rdzv_conf = std::vector<RdzvConf>{{"rdzv-conf-name", "rdzv-conf-value"},
                                      {"rdzv-conf-name-1", "rdzv-conf-value-1"}};
  e.max_restarts = 3;
  job.spec.elastic_policy = e;
  auto vars = ElasticVars(job);
  std::vector<std::string> expected = {
      "PET_MAX_RESTARTS=3",
      "PET_RDZV_BACKEND=c10d",
      "PET_RDZV_ENDPOINT=localhost:1234",
      "PET_RDZV_ID=rdzv-id",
      "PET_RDZV_CONF=rdzv-conf-name=rdzv-conf-value,rdzv-conf-name-1=rdzv-conf-value-1",
      "PET_NNODES=1:3"};
  std::sort(vars.begin(), vars.end());
  std::sort(expected.begin(), expected.end());
  CHECK(vars == expected);  // ConsistOf
}

// initcontainer_test.go TestInitContainer: image alpine:3.10, 100 tries.

std::size_t InitContainers(const PyTorchJob& job, const std::string& rtype) {
  PodSpec spec;
  SetInitContainer(job, rtype, &spec, "alpine:3.10", 100);
  return spec.init_containers.size();
}

PyTorchJob MasterWorkerJob() {
  PyTorchJob job = WorkerOnlyJob();
  (*job.spec.pytorch_replica_specs)["Master"] = job.spec.pytorch_replica_specs->at("Worker");
  return job;
}

TEST_CASE("upstream TestInitContainer: a worker of a job without a Master gets no init container") {
  CHECK(InitContainers(WorkerOnlyJob(), "worker") == 0);
}

TEST_CASE("upstream TestInitContainer: a worker of a job with a Master gets one init container") {
  CHECK(InitContainers(MasterWorkerJob(), "worker") == 1);
}

TEST_CASE("upstream TestInitContainer: the Master of a job gets no init container") {
  CHECK(InitContainers(MasterWorkerJob(), "master") == 0);
}

}  // namespace
}  // namespace ptsim
