// Port of TestValidateV1PyTorchJob (pkg/webhooks/pytorch/pytorchjob_webhook_test.go
// @v1.9.0, unchanged in v1.9.4). Like upstream, errors are compared by type and
// field only (cmpopts.IgnoreFields(field.Error{}, "Detail", "BadValue")), and
// validatePyTorchJob is called directly with the old job, so the managedBy
// immutability case sees the error the live webhook never raises.
#include <catch2/catch.hpp>

#include "sim/model/pytorchjob_validation.hpp"

namespace ptsim {
namespace {

Container MakeContainer(const std::string& name, const std::string& image) {
  Container c;
  c.name = name;
  c.image = image;
  return c;
}

ReplicaSpec MakeReplicaSpec(std::optional<std::int32_t> replicas, std::vector<Container> cs,
                            const std::string& restart_policy = "") {
  ReplicaSpec rs;
  rs.replicas = replicas;
  rs.restart_policy = restart_policy;
  rs.template_.spec.containers = std::move(cs);
  return rs;
}

// validPyTorchReplicaSpecs of the upstream test.
std::map<std::string, ReplicaSpec> ValidPyTorchReplicaSpecs() {
  Container c = MakeContainer("pytorch", "docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727");
  c.image_pull_policy = "Always";
  c.command = {"python3", "/opt/pytorch-mnist/mnist.py", "--epochs=1"};
  return {{kReplicaTypeMaster, MakeReplicaSpec(1, {c}, "OnFailure")},
          {kReplicaTypeWorker, MakeReplicaSpec(1, {c}, "OnFailure")}};
}

const char* const kTestImage = "gcr.io/kubeflow-ci/pytorch-dist-mnist_test:1.0";

PyTorchJob NamedJob(const std::string& name) {
  PyTorchJob job;
  job.metadata.name = name;
  return job;
}

struct Want {
  FieldErrorType type;
  std::string field;
};

void ExpectValidation(const PyTorchJob* old_job, const PyTorchJob& job,
                      const std::vector<Want>& want_errors,
                      const std::vector<std::string>& want_warnings) {
  for (OperatorVersion v : {OperatorVersion::kV1_9_0, OperatorVersion::kV1_9_4}) {
    const ValidationResult got = ValidatePyTorchJob(old_job, job, v);
    REQUIRE(got.errors.size() == want_errors.size());
    for (std::size_t i = 0; i < want_errors.size(); ++i) {
      CHECK(got.errors[i].type == want_errors[i].type);
      CHECK(got.errors[i].field == want_errors[i].field);
    }
    std::vector<std::string> warnings;
    for (const auto& w : got.warnings)
      warnings.push_back(w.message);
    CHECK(warnings == want_warnings);
  }
}

const char* const kDeprecatedWarning =
    "spec.elasticPolicy.nProcPerNode is deprecated, use spec.nprocPerNode instead";

TEST_CASE("TestValidateV1PyTorchJob/valid PyTorchJob") {
  PyTorchJob job = NamedJob("test");
  job.spec.run_policy.managed_by = kKubeflowJobsController;
  job.spec.elastic_policy = ElasticPolicy{};
  job.spec.elastic_policy->rdzv_backend = "c10d";
  job.spec.pytorch_replica_specs = ValidPyTorchReplicaSpecs();
  ExpectValidation(nullptr, job, {}, {});
}

TEST_CASE("TestValidateV1PyTorchJob/pytorchJob name does not meet DNS1035") {
  PyTorchJob job = NamedJob("0-test");
  job.spec.pytorch_replica_specs = ValidPyTorchReplicaSpecs();
  ExpectValidation(nullptr, job, {{FieldErrorType::kInvalid, "metadata.name"}}, {});
}

TEST_CASE("TestValidateV1PyTorchJob/no containers") {
  PyTorchJob job = NamedJob("test");
  job.spec.pytorch_replica_specs =
      std::map<std::string, ReplicaSpec>{{kReplicaTypeWorker, MakeReplicaSpec(std::nullopt, {})}};
  const std::string containers = "spec.pytorchReplicaSpecs[Worker].template.spec.containers";
  ExpectValidation(
      nullptr, job,
      {{FieldErrorType::kRequired, containers}, {FieldErrorType::kRequired, containers}}, {});
}

TEST_CASE("TestValidateV1PyTorchJob/image is empty") {
  PyTorchJob job = NamedJob("test");
  job.spec.pytorch_replica_specs = std::map<std::string, ReplicaSpec>{
      {kReplicaTypeWorker, MakeReplicaSpec(std::nullopt, {MakeContainer("pytorch", "")})}};
  ExpectValidation(nullptr, job,
                   {{FieldErrorType::kRequired,
                     "spec.pytorchReplicaSpecs[Worker].template.spec.containers[0].image"}},
                   {});
}

TEST_CASE("TestValidateV1PyTorchJob/pytorchJob default container name doesn't present") {
  PyTorchJob job = NamedJob("test");
  job.spec.pytorch_replica_specs = std::map<std::string, ReplicaSpec>{
      {kReplicaTypeWorker, MakeReplicaSpec(std::nullopt, {MakeContainer("", kTestImage)})}};
  ExpectValidation(
      nullptr, job,
      {{FieldErrorType::kRequired, "spec.pytorchReplicaSpecs[Worker].template.spec.containers"}},
      {});
}

TEST_CASE("TestValidateV1PyTorchJob/the number of replicas in masterReplica is other than 1") {
  PyTorchJob job = NamedJob("test");
  job.spec.pytorch_replica_specs = std::map<std::string, ReplicaSpec>{
      {kReplicaTypeMaster, MakeReplicaSpec(2, {MakeContainer("pytorch", kTestImage)})}};
  ExpectValidation(nullptr, job,
                   {{FieldErrorType::kForbidden, "spec.pytorchReplicaSpecs[Master].replicas"}}, {});
}

std::map<std::string, ReplicaSpec> MasterAndWorker() {
  return {{kReplicaTypeMaster, MakeReplicaSpec(1, {MakeContainer("pytorch", kTestImage)})},
          {kReplicaTypeWorker, MakeReplicaSpec(1, {MakeContainer("pytorch", kTestImage)})}};
}

TEST_CASE("TestValidateV1PyTorchJob/Spec.ElasticPolicy.NProcPerNode are set") {
  PyTorchJob job = NamedJob("test");
  job.spec.elastic_policy = ElasticPolicy{};
  job.spec.elastic_policy->n_proc_per_node = 1;
  job.spec.pytorch_replica_specs = MasterAndWorker();
  ExpectValidation(nullptr, job, {}, {kDeprecatedWarning});
}

TEST_CASE(
    "TestValidateV1PyTorchJob/Spec.NprocPerNode and Spec.ElasticPolicy.NProcPerNode are set") {
  PyTorchJob job = NamedJob("test");
  job.spec.nproc_per_node = "1";
  job.spec.elastic_policy = ElasticPolicy{};
  job.spec.elastic_policy->n_proc_per_node = 1;
  job.spec.pytorch_replica_specs = MasterAndWorker();
  ExpectValidation(nullptr, job, {{FieldErrorType::kForbidden, "spec.elasticPolicy.nProcPerNode"}},
                   {kDeprecatedWarning});
}

TEST_CASE(
    "TestValidateV1PyTorchJob/attempt to set unsupported managedBy controller name gets "
    "rejected") {
  PyTorchJob job = NamedJob("test");
  job.spec.run_policy.managed_by = "other-job-controller";
  job.spec.pytorch_replica_specs = ValidPyTorchReplicaSpecs();
  ExpectValidation(nullptr, job, {{FieldErrorType::kNotSupported, "spec.runPolicy.managedBy"}}, {});
}

TEST_CASE("TestValidateV1PyTorchJob/attempt to update the managedBy field gets rejected") {
  PyTorchJob old_job = NamedJob("test");
  old_job.spec.run_policy.managed_by = kKubeflowJobsController;
  old_job.spec.pytorch_replica_specs = ValidPyTorchReplicaSpecs();
  PyTorchJob job = NamedJob("test");
  job.spec.run_policy.managed_by = kMultiKueueController;
  job.spec.pytorch_replica_specs = ValidPyTorchReplicaSpecs();
  ExpectValidation(&old_job, job, {{FieldErrorType::kInvalid, "spec.runPolicy.managedBy"}}, {});
  CHECK(ValidatePyTorchJob(&old_job, job, OperatorVersion::kV1_9_4).errors[0].Render() ==
        "spec.runPolicy.managedBy: Invalid value: \"kueue.x-k8s.io/multikueue\": field is "
        "immutable");
}

TEST_CASE(
    "TestValidateV1PyTorchJob/attempt to configure elasticPolicy when no worker is "
    "configured") {
  PyTorchJob job = NamedJob("test");
  job.spec.elastic_policy = ElasticPolicy{};
  job.spec.pytorch_replica_specs = std::map<std::string, ReplicaSpec>{
      {kReplicaTypeMaster, MakeReplicaSpec(1, {MakeContainer("pytorch", kTestImage)})}};
  ExpectValidation(nullptr, job, {{FieldErrorType::kRequired, "spec.pytorchReplicaSpecs[Worker]"}},
                   {});
}

TEST_CASE("TestValidateV1PyTorchJob/attempt to configure worker with 0 replicas") {
  PyTorchJob job = NamedJob("test");
  job.spec.elastic_policy = ElasticPolicy{};
  job.spec.pytorch_replica_specs = std::map<std::string, ReplicaSpec>{
      {kReplicaTypeWorker, MakeReplicaSpec(0, {MakeContainer("pytorch", kTestImage)})}};
  ExpectValidation(nullptr, job,
                   {{FieldErrorType::kForbidden, "spec.pytorchReplicaSpecs[Worker].replicas"}}, {});
}

}  // namespace
}  // namespace ptsim
