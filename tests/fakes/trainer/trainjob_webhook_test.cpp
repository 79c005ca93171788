// The TrainJob and runtime admission checks (kubeflow/trainer v2.3.0
// pkg/webhooks, the CRD's validations, test/integration/webhooks/
// trainjob_test.go), with upstream's messages.
#include <catch2/catch.hpp>

#include "fakes/trainer/trainjob_webhook.hpp"
#include "sim/model/trainjob_validation.hpp"
#include "tests/fakes/trainer/trainer_fixtures.hpp"

namespace ptsim {
namespace {

using testing::MakeTrainJob;

std::vector<AdmissionError> Validate(const TrainJob& tj, const TrainingRuntimeSpec* runtime) {
  return ValidateTrainJobWithRuntime(tj, [&](const std::string& kind, const std::string&,
                                             const std::string& name) {
    return kind == ClusterTrainingRuntime::kKind && name == kDefaultRuntimeName ? runtime : nullptr;
  });
}

TEST_CASE("TrainJob CRD names must be RFC 1035 labels of at most 63 characters") {
  CHECK(ValidateTrainJobCrd(MakeTrainJob("ok-name")).empty());
  auto errors = ValidateTrainJobCrd(MakeTrainJob("1starts-with-digit"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].Render() ==
        "metadata.name: Invalid value: \"string\": metadata.name must match RFC 1035 DNS label "
        "format");
  errors = ValidateTrainJobCrd(MakeTrainJob(std::string(64, 'a')));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].detail == "metadata.name must be no more than 63 characters");
}

TEST_CASE("TrainJob managedBy must be one of the two controllers") {
  TrainJob tj = MakeTrainJob();
  tj.spec.managed_by = "kueue.x-k8s.io/multikueue";
  CHECK(ValidateTrainJobCrd(tj).empty());
  tj.spec.managed_by = "me/mine";
  const auto errors = ValidateTrainJobCrd(tj);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].detail ==
        "ManagedBy must be trainer.kubeflow.org/trainjob-controller or kueue.x-k8s.io/multikueue "
        "if set");
}

TEST_CASE("A runtimePatches manager must be a domain-prefixed path") {
  TrainJob tj = MakeTrainJob();
  tj.spec.runtime_patches.push_back({"no-domain", std::nullopt, nlohmann::json::object()});
  const auto errors = ValidateTrainJobCrd(tj);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "spec.runtimePatches[0].manager");
}

TEST_CASE("TrainJob spec fields are immutable and runtimePatches change only while suspended") {
  TrainJob old_job = MakeTrainJob();
  old_job.spec.trainer = Trainer{};
  TrainJob new_job = old_job;
  CHECK(ValidateTrainJobUpdate(old_job, new_job).empty());
  new_job.spec.trainer->image = "other";
  new_job.spec.active_deadline_seconds = 5;
  auto errors = ValidateTrainJobUpdate(old_job, new_job);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].Render() == "spec.trainer: Invalid value: \"object\": field is immutable");
  CHECK(errors[1].field == "spec.activeDeadlineSeconds");

  new_job = old_job;
  new_job.spec.runtime_patches.push_back({"a.io/x", std::nullopt, nlohmann::json::object()});
  errors = ValidateTrainJobUpdate(old_job, new_job);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].detail ==
        "RuntimePatches can only be modified when the TrainJob is suspended before or after the "
        "update");
  new_job.spec.suspend = true;  // suspended after the update
  CHECK(ValidateTrainJobUpdate(old_job, new_job).empty());
}

TEST_CASE("An unregistered runtime kind is unsupported") {
  TrainJob tj = MakeTrainJob();
  tj.spec.runtime_ref.kind = "MyRuntime";
  const auto errors = Validate(tj, nullptr);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "unsupported runtime: MyRuntime.trainer.kubeflow.org");
  CHECK(TrainJobDenial(errors) ==
        "admission webhook \"validator.trainjob.trainer.kubeflow.org\" denied the request: "
        "unsupported runtime: MyRuntime.trainer.kubeflow.org");
}

TEST_CASE("A missing runtime is refused with upstream's field and message") {
  TrainJob tj = MakeTrainJob();
  tj.spec.runtime_ref.name = "nope";
  auto errors = Validate(tj, nullptr);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message ==
        "spec.RuntimeRef: Invalid value: \"nope\": clustertrainingruntimes.trainer.kubeflow.org "
        "\"nope\" not found: specified clusterTrainingRuntime must be created before the "
        "TrainJob is created");
  tj.spec.runtime_ref.kind = "TrainingRuntime";
  errors = Validate(tj, nullptr);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "spec.runtimeRef");
  CHECK(errors[0].message.find("specified trainingRuntime must be created before the TrainJob "
                               "is created") != std::string::npos);
}

TEST_CASE("Reserved PET env is refused through the webhook") {
  const auto rt = TorchDistributedRuntime().spec;
  TrainJob tj = MakeTrainJob();
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->env = {{"PET_NNODES", "4", {}}};
  const auto errors = Validate(tj, &rt);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("must not have reserved envs, invalid envs configured: "
                               "[PET_NNODES]") != std::string::npos);
  tj.spec.trainer->env.clear();
  CHECK(Validate(tj, &rt).empty());
}

TEST_CASE("A dataset without a dataset-initializer job is refused") {
  const auto rt = TorchDistributedRuntime().spec;
  TrainJob tj = MakeTrainJob();
  tj.spec.initializer = Initializer{};
  tj.spec.initializer->dataset = InitializerSpec{};
  const auto errors = Validate(tj, &rt);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("must have dataset-initializer job when trainJob is configured "
                               "with input datasetConfig") != std::string::npos);
}

TEST_CASE("runtimePatches must name replicated jobs and containers the runtime has") {
  const auto rt = TorchDistributedRuntime().spec;
  TrainJob tj = MakeTrainJob();
  tj.spec.runtime_patches.push_back({"a.io/x", std::nullopt, nlohmann::json::parse(R"({
    "template": {"spec": {"replicatedJobs": [
      {"name": "ghost"},
      {"name": "node", "template": {"spec": {"template": {"spec": {"containers": [
        {"name": "sidecar"}, {"name": "node", "env": [{"name": "A", "value": "1"}]}]}}}}}]}}})")});
  const auto errors = Validate(tj, &rt);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].message.find(
            "must not have replicated job that doesn't exist in the runtime job template") !=
        std::string::npos);
  CHECK(errors[1].message.find("must not have container that doesn't exist in the runtime job "
                               "node") != std::string::npos);
  CHECK(errors[2].message.find("must not have envs for the dataset-initializer, "
                               "model-initializer, node containers") != std::string::npos);
}

TEST_CASE("The runtime webhook checks ancestor jobs and the ML policy") {
  auto rt = TorchDistributedRuntime().spec;
  CHECK(ValidateTrainingRuntimeSpec(rt).empty());
  rt.template_.spec.replicated_jobs[0].replicas = 2;
  rt.template_.spec.replicated_jobs[0].template_.spec.template_.spec.containers[0].name = "main";
  rt.ml_policy->other_policy = "mpi";
  rt.ml_policy->torch->env_injection_targets.push_back({"node", {"node"}});
  const auto errors = ValidateTrainingRuntimeSpec(rt);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].detail == "Only one of the policy can be configured");
  CHECK(errors[1].detail == "containerNames must not include 'node'");
  CHECK(errors[2].Render() ==
        "spec.template.spec.replicatedJobs[0].replicas: Invalid value: \"2\": always must be 1");
  CHECK(errors[3].detail == "must contain the required container for the ancestor: trainer");
}

}  // namespace
}  // namespace ptsim
