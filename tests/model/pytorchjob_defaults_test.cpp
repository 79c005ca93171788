// SetDefaults_PyTorchJob (pkg/apis/kubeflow.org/v1/pytorch_defaults.go) and
// the ports of pytorch_defaults_test.go.
#include <catch2/catch.hpp>

#include "sim/model/pytorchjob_defaults.hpp"

namespace ptsim {
namespace {

ReplicaSpec WorkerWithReplicas(std::int32_t replicas) {
  ReplicaSpec rs;
  rs.replicas = replicas;
  return rs;
}

PyTorchJob ElasticJob(std::optional<std::int32_t> min, std::optional<std::int32_t> max) {
  PyTorchJob job;
  job.spec.elastic_policy = ElasticPolicy{};
  job.spec.elastic_policy->min_replicas = min;
  job.spec.elastic_policy->max_replicas = max;
  job.spec.pytorch_replica_specs =
      std::map<std::string, ReplicaSpec>{{kReplicaTypeWorker, WorkerWithReplicas(1)}};
  return job;
}

Container NamedContainer(const std::string& name) {
  Container c;
  c.name = name;
  c.image = "trainer:1";
  return c;
}

// TestSetElasticPolicy: setElasticPolicy alone, Worker.replicas = 1.
TEST_CASE("TestSetElasticPolicy/minReplicas and maxReplicas to null") {
  PyTorchJob job = ElasticJob(std::nullopt, std::nullopt);
  SetElasticPolicy(&job);
  CHECK(job.spec.elastic_policy->min_replicas == 1);
  CHECK(job.spec.elastic_policy->max_replicas == 1);
}

TEST_CASE("TestSetElasticPolicy/minReplicas and maxReplicas to 1 (listed twice upstream)") {
  for (int i = 0; i < 2; ++i) {
    PyTorchJob job = ElasticJob(1, 1);
    SetElasticPolicy(&job);
    CHECK(job.spec.elastic_policy->min_replicas == 1);
    CHECK(job.spec.elastic_policy->max_replicas == 1);
  }
}

TEST_CASE("TestSetElasticPolicy/minReplicas to null, maxRepliacs to 1") {
  PyTorchJob job = ElasticJob(std::nullopt, 1);
  SetElasticPolicy(&job);
  CHECK(job.spec.elastic_policy->min_replicas == 1);
  CHECK(job.spec.elastic_policy->max_replicas == 1);
}

TEST_CASE("TestSetElasticPolicy/maxRepliacs to null, minReplicas to 1") {
  PyTorchJob job = ElasticJob(1, std::nullopt);
  SetElasticPolicy(&job);
  CHECK(job.spec.elastic_policy->min_replicas == 1);
  CHECK(job.spec.elastic_policy->max_replicas == 1);
}

TEST_CASE("elastic min and max are filled from each other, not from Worker.replicas") {
  PyTorchJob job = ElasticJob(std::nullopt, 5);
  job.spec.pytorch_replica_specs->at(kReplicaTypeWorker).replicas = 2;
  SetElasticPolicy(&job);
  CHECK(job.spec.elastic_policy->min_replicas == 5);
  job = ElasticJob(3, std::nullopt);
  SetElasticPolicy(&job);
  CHECK(job.spec.elastic_policy->max_replicas == 3);
}

TEST_CASE("elastic defaulting without a Worker leaves min and max unset (upstream panics)") {
  PyTorchJob job = ElasticJob(std::nullopt, std::nullopt);
  job.spec.pytorch_replica_specs->clear();
  SetElasticPolicy(&job);
  CHECK_FALSE(job.spec.elastic_policy->min_replicas);
  CHECK_FALSE(job.spec.elastic_policy->max_replicas);
}

// TestSetDefaultNprocPerNode: both subtests are named "test default nproc per node".
TEST_CASE("TestSetDefaultNprocPerNode/elasticPolicy without nProcPerNode gets auto") {
  PyTorchJob job = ElasticJob(std::nullopt, std::nullopt);
  SetDefaultNprocPerNode(&job);
  CHECK(job.spec.nproc_per_node == "auto");
}

TEST_CASE("TestSetDefaultNprocPerNode/no elasticPolicy gets auto") {
  PyTorchJob job;
  job.spec.pytorch_replica_specs =
      std::map<std::string, ReplicaSpec>{{kReplicaTypeWorker, WorkerWithReplicas(1)}};
  SetDefaultNprocPerNode(&job);
  CHECK(job.spec.nproc_per_node == "auto");
}

TEST_CASE("nprocPerNode is not defaulted beside the deprecated elastic nProcPerNode") {
  PyTorchJob job = ElasticJob(std::nullopt, std::nullopt);
  job.spec.elastic_policy->n_proc_per_node = 4;
  SetDefaultNprocPerNode(&job);
  CHECK_FALSE(job.spec.nproc_per_node);
  job.spec.nproc_per_node = "gpu";
  SetDefaultNprocPerNode(&job);
  CHECK(job.spec.nproc_per_node == "gpu");
}

TEST_CASE("SetDefaults_PyTorchJob fills replicas, restartPolicy, port, cleanPodPolicy, nproc") {
  PyTorchJob in;
  ReplicaSpec master;
  master.template_.spec.containers = {NamedContainer("pytorch")};
  ReplicaSpec worker;
  worker.restart_policy = "ExitCode";
  worker.replicas = 3;
  worker.template_.spec.containers = {NamedContainer("pytorch")};
  in.spec.pytorch_replica_specs =
      std::map<std::string, ReplicaSpec>{{"Master", master}, {"Worker", worker}};

  const PyTorchJob out = SetDefaults_PyTorchJob(in);
  CHECK(out.spec.run_policy.clean_pod_policy == "None");
  const auto& m = out.spec.pytorch_replica_specs->at("Master");
  CHECK(m.replicas == 1);
  CHECK(m.restart_policy == "OnFailure");
  REQUIRE(m.template_.spec.containers[0].ports.size() == 1);
  CHECK(m.template_.spec.containers[0].ports[0].name == "pytorchjob-port");
  CHECK(m.template_.spec.containers[0].ports[0].container_port == 23456);
  CHECK(m.template_.spec.containers[0].ports[0].protocol.empty());
  const auto& w = out.spec.pytorch_replica_specs->at("Worker");
  CHECK(w.replicas == 3);
  CHECK(w.restart_policy == "ExitCode");
  CHECK(out.spec.nproc_per_node == "auto");
  CHECK_FALSE(out.spec.elastic_policy);
  // A pure function: the input is untouched.
  CHECK_FALSE(in.spec.run_policy.clean_pod_policy);
  CHECK_FALSE(in.spec.pytorch_replica_specs->at("Master").replicas);
}

TEST_CASE("an explicit empty cleanPodPolicy is not replaced by None") {
  PyTorchJob job;
  job.spec.run_policy.clean_pod_policy = "";
  CHECK(SetDefaults_PyTorchJob(job).spec.run_policy.clean_pod_policy == "");
  job.spec.run_policy.clean_pod_policy = "All";
  CHECK(SetDefaults_PyTorchJob(job).spec.run_policy.clean_pod_policy == "All");
}

TEST_CASE("replica-type keys are camel-cased when they match ignoring case") {
  PyTorchJob job;
  job.spec.pytorch_replica_specs =
      std::map<std::string, ReplicaSpec>{{"MASTER", WorkerWithReplicas(1)},
                                         {"worker", WorkerWithReplicas(4)},
                                         {"Chief", WorkerWithReplicas(1)}};
  const PyTorchJob out = SetDefaults_PyTorchJob(job);
  const auto& specs = *out.spec.pytorch_replica_specs;
  CHECK(specs.size() == 3);
  CHECK(specs.count("Master") == 1);
  CHECK(specs.at("Worker").replicas == 4);
  CHECK(specs.count("Chief") == 1);
}

TEST_CASE("a differently-cased key replaces the exact one, as Go's map assignment does") {
  PyTorchJob job;
  job.spec.pytorch_replica_specs = std::map<std::string, ReplicaSpec>{
      {"Worker", WorkerWithReplicas(1)}, {"worker", WorkerWithReplicas(7)}};
  SetPyTorchTypeNamesToCamelCase(&job);
  REQUIRE(job.spec.pytorch_replica_specs->size() == 1);
  CHECK(job.spec.pytorch_replica_specs->at("Worker").replicas == 7);
}

TEST_CASE("elastic defaults read Worker.replicas after it is defaulted to 1") {
  PyTorchJob job;
  job.spec.elastic_policy = ElasticPolicy{};
  job.spec.pytorch_replica_specs = std::map<std::string, ReplicaSpec>{{"worker", ReplicaSpec{}}};
  const PyTorchJob out = SetDefaults_PyTorchJob(job);
  CHECK(out.spec.elastic_policy->min_replicas == 1);
  CHECK(out.spec.elastic_policy->max_replicas == 1);
}

TEST_CASE("the default port goes to the container named pytorch, else container 0") {
  PodSpec spec;
  spec.containers = {NamedContainer("sidecar"), NamedContainer("pytorch")};
  SetPyTorchDefaultPort(&spec);
  CHECK(spec.containers[0].ports.empty());
  REQUIRE(spec.containers[1].ports.size() == 1);

  PodSpec other;
  other.containers = {NamedContainer("main"), NamedContainer("sidecar")};
  SetPyTorchDefaultPort(&other);
  REQUIRE(other.containers[0].ports.size() == 1);
  CHECK(other.containers[0].ports[0].name == "pytorchjob-port");
  CHECK(other.containers[1].ports.empty());
}

TEST_CASE("a declared pytorchjob-port keeps its number and other port names do not count") {
  PodSpec spec;
  spec.containers = {NamedContainer("pytorch")};
  spec.containers[0].ports = {ContainerPort{"pytorchjob-port", 29500, "", 0}};
  SetPyTorchDefaultPort(&spec);
  REQUIRE(spec.containers[0].ports.size() == 1);
  CHECK(spec.containers[0].ports[0].container_port == 29500);

  spec.containers[0].ports = {ContainerPort{"metrics", 23456, "", 0}};
  SetPyTorchDefaultPort(&spec);
  REQUIRE(spec.containers[0].ports.size() == 2);
  CHECK(spec.containers[0].ports[1].name == "pytorchjob-port");
}

TEST_CASE("a template without containers gets no port (upstream indexes out of range)") {
  PodSpec spec;
  SetPyTorchDefaultPort(&spec);
  CHECK(spec.containers.empty());
}

}  // namespace
}  // namespace ptsim
