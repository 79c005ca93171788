// The upstream example manifests (examples/pytorch @v1.9.0,
// docs/upstream/training-operator.md#upstream-examples) decode and pass
// validation under every operator version, without warnings.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sim/model/pytorchjob_codec.hpp"
#include "sim/model/pytorchjob_defaults.hpp"
#include "sim/model/pytorchjob_validation.hpp"

namespace ptsim {
namespace {

DecodedPyTorchJob DecodeExample(const std::string& name) {
  const std::string path = std::string(PTSIM_SOURCE_DIR) + "/tests/model/data/" + name;
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  auto r = ParsePyTorchJob(text.str(), path);
  INFO(r.diagnostics().Render());
  REQUIRE(r.ok());
  CHECK(r.diagnostics().empty());
  for (OperatorVersion v :
       {OperatorVersion::kV1_7_0, OperatorVersion::kV1_8_1, OperatorVersion::kV1_9_0,
        OperatorVersion::kV1_9_4, OperatorVersion::kFixed}) {
    const Diagnostics d = DiagnosePyTorchJobCreate(r->job, r->locations, v, name);
    INFO(OperatorVersionName(v) << "\n" << d.Render());
    CHECK(d.empty());
  }
  return std::move(r.value());
}

TEST_CASE("examples/pytorch/simple.yaml is valid and lands in namespace kubeflow") {
  const DecodedPyTorchJob d = DecodeExample("simple.yaml");
  CHECK(d.job.metadata.name == "pytorch-simple");
  CHECK(d.job.metadata.namespace_ == "kubeflow");
  const auto& master = d.job.spec.pytorch_replica_specs->at("Master");
  CHECK(master.template_.spec.containers[0].command ==
        std::vector<std::string>{"python3", "/opt/pytorch-mnist/mnist.py", "--epochs=1"});
  CHECK(master.template_.spec.containers[0].image_pull_policy == "Always");
}

TEST_CASE("examples/pytorch/cpu-demo/demo.yaml is valid with nprocPerNode 2") {
  const DecodedPyTorchJob d = DecodeExample("cpu-demo.yaml");
  CHECK(d.job.metadata.name == "torchrun-cpu");
  CHECK(d.job.metadata.namespace_ == "default");
  CHECK(d.job.spec.nproc_per_node == "2");
  CHECK(SetDefaults_PyTorchJob(d.job).spec.nproc_per_node == "2");
}

TEST_CASE("examples/pytorch/smoke-dist/pytorch_job_sendrecv.yaml is valid with 3 workers") {
  const DecodedPyTorchJob d = DecodeExample("pytorch_job_sendrecv.yaml");
  CHECK(d.job.metadata.name == "pytorch-dist-basic-sendrecv");
  CHECK(d.job.spec.pytorch_replica_specs->at("Worker").replicas == 3);
  CHECK(
      d.job.spec.pytorch_replica_specs->at("Worker").template_.spec.containers[0].command.empty());
}

TEST_CASE("examples/pytorch/elastic/echo/echo.yaml is valid and defaults restartPolicy") {
  const DecodedPyTorchJob d = DecodeExample("elastic-echo.yaml");
  REQUIRE(d.job.spec.elastic_policy);
  CHECK(d.job.spec.elastic_policy->rdzv_backend == "c10d");
  CHECK(d.job.spec.elastic_policy->max_restarts == 100);
  CHECK(d.job.spec.pytorch_replica_specs->at("Worker").restart_policy.empty());
  const PyTorchJob defaulted = SetDefaults_PyTorchJob(d.job);
  CHECK(defaulted.spec.pytorch_replica_specs->at("Worker").restart_policy == "OnFailure");
  CHECK(defaulted.spec.elastic_policy->min_replicas == 1);
  CHECK(defaulted.spec.elastic_policy->max_replicas == 2);
  CHECK(defaulted.spec.nproc_per_node == "auto");
  const auto& env = d.job.spec.pytorch_replica_specs->at("Worker").template_.spec.containers[0].env;
  REQUIRE(env.size() == 1);
  CHECK(env[0].name == "LOGLEVEL");
}

TEST_CASE("examples/pytorch/elastic/imagenet/imagenet.yaml is valid and keeps its HPA metrics") {
  const DecodedPyTorchJob d = DecodeExample("elastic-imagenet.yaml");
  REQUIRE(d.job.spec.elastic_policy);
  REQUIRE(d.job.spec.elastic_policy->metrics);
  CHECK(*d.job.spec.elastic_policy->metrics == nlohmann::json::parse(R"([{"type": "Resource",
      "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}])"));
  const auto& c = d.job.spec.pytorch_replica_specs->at("Worker").template_.spec.containers[0];
  CHECK(c.resources.requests.count("cpu") == 1);
  CHECK(c.command.back() == "/workspace/data/tiny-imagenet-200");
}

}  // namespace
}  // namespace ptsim
