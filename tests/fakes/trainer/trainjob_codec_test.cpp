// Decoding TrainJob, TrainingRuntime and ClusterTrainingRuntime manifests.
#include <catch2/catch.hpp>

#include "fakes/trainer/default_runtime.hpp"
#include "sim/model/trainjob_codec.hpp"
#include "sim/model/yaml_file.hpp"

namespace ptsim {
namespace {

template <typename T>
Result<T> Parse(const std::string& text,
                Result<T> (*decode)(const YAML::Node&, const std::string&)) {
  auto parsed = ParseYamlText(text, "in.yaml");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->documents.size() == 1);
  return decode(parsed->documents[0], "in.yaml");
}

// charts/kubeflow-trainer/files/runtimes/torch-distributed.yaml @v2.3.0.
constexpr const char* kTorchDistributed = R"(apiVersion: trainer.kubeflow.org/v1alpha1
kind: ClusterTrainingRuntime
metadata:
  name: torch-distributed
  labels:
    trainer.kubeflow.org/framework: torch
spec:
  mlPolicy:
    numNodes: 1
    torch: {}
  template:
    spec:
      replicatedJobs:
        - name: node
          template:
            metadata:
              labels:
                trainer.kubeflow.org/trainjob-ancestor-step: trainer
            spec:
              template:
                spec:
                  containers:
                    - name: node
                      image: pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime
)";

TEST_CASE("The shipped torch-distributed runtime decodes to the built-in one") {
  auto rt = Parse<ClusterTrainingRuntime>(kTorchDistributed, DecodeClusterTrainingRuntimeDocument);
  INFO(rt.diagnostics().Render());
  REQUIRE(rt.ok());
  const ClusterTrainingRuntime builtin = TorchDistributedRuntime();
  CHECK(rt->metadata.name == builtin.metadata.name);
  CHECK(rt->metadata.namespace_.empty());
  CHECK(rt->metadata.labels == builtin.metadata.labels);
  REQUIRE(rt->spec.ml_policy.has_value());
  CHECK(rt->spec.ml_policy->num_nodes == 1);
  CHECK(rt->spec.ml_policy->torch.has_value());
  const auto& rjobs = rt->spec.template_.spec.replicated_jobs;
  REQUIRE(rjobs.size() == 1);
  CHECK(rjobs[0].template_.metadata.labels ==
        builtin.spec.template_.spec.replicated_jobs[0].template_.metadata.labels);
  CHECK(rjobs[0].template_.spec.template_.spec.containers.at(0).image == kDefaultRuntimeImage);
}

TEST_CASE("A TrainJob decodes with its trainer, patches and numProcPerNode as written") {
  auto tj = Parse<TrainJob>(R"(apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata: {name: mnist}
spec:
  runtimeRef: {name: torch-distributed}
  suspend: true
  activeDeadlineSeconds: 600
  trainer:
    image: me/train
    command: [torchrun, train.py]
    numNodes: 2
    numProcPerNode: "auto"
    env: [{name: A, value: "1"}]
    resourcesPerNode: {limits: {cpu: 2}}
  runtimePatches:
    - manager: example.com/me
      trainingRuntimeSpec:
        template:
          spec:
            replicatedJobs:
              - name: node
                template:
                  spec:
                    template:
                      spec:
                        nodeSelector: {zone: a}
)",
                            DecodeTrainJobDocument);
  INFO(tj.diagnostics().Render());
  REQUIRE(tj.ok());
  CHECK(tj->spec.runtime_ref.name == "torch-distributed");
  CHECK_FALSE(tj->spec.runtime_ref.kind.has_value());
  CHECK(tj->spec.suspend == true);
  CHECK(tj->spec.active_deadline_seconds == 600);
  REQUIRE(tj->spec.trainer.has_value());
  CHECK(tj->spec.trainer->num_nodes == 2);
  CHECK(*tj->spec.trainer->num_proc_per_node == "auto");
  CHECK(tj->spec.trainer->resources_per_node->limits.at("cpu").units() == 2);
  REQUIRE(tj->spec.runtime_patches.size() == 1);
  CHECK(tj->spec.runtime_patches[0]
            .training_runtime_spec["template"]["spec"]["replicatedJobs"][0]["name"] == "node");
}

TEST_CASE("TrainJob decoding refuses unknown fields and the CRD's bounds with file and line") {
  auto tj = Parse<TrainJob>(R"(apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata: {name: bad}
spec:
  runtimeRef: {name: torch-distributed}
  activeDeadlineSeconds: 0
  trainer:
    podTemplateOverrides: []
  runtimePatches:
    - manager: a.io/b
      trainingRuntimeSpec:
        template:
          spec:
            replicatedJobs:
              - name: node
                template:
                  spec:
                    template:
                      spec:
                        containers: [{name: node, image: x}]
)",
                            DecodeTrainJobDocument);
  REQUIRE_FALSE(tj.ok());
  const std::string text = tj.diagnostics().Render();
  CHECK_THAT(text, Catch::Contains("in.yaml:6:"));
  CHECK_THAT(text, Catch::Contains("should be greater than or equal to 1"));
  CHECK_THAT(text, Catch::Contains("podTemplateOverrides"));
  CHECK_THAT(text, Catch::Contains("image"));  // a patch may not set a container's image
}

}  // namespace
}  // namespace ptsim
