// The report of a run: each recorded job is paired with its plan entry by
// kind, namespace and name (never by position).
#include <catch2/catch.hpp>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using nlohmann::json;
using testing::TempDir;

// Three jobs named "train": the second has the key of the first and is
// rejected by the API server (AlreadyExists, as `kubectl create` would be),
// the third lives in another namespace. Only the first and third run.
const char* kSameNames = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: same-names
timeout: 10m
images:
  trainer:v1: {script: "run 1s, exit 0"}
job:
  apiVersion: v1
  kind: List
  items:
  - apiVersion: kubeflow.org/v1
    kind: PyTorchJob
    metadata: {name: train}
    spec:
      runPolicy: {backoffLimit: 7}
      pytorchReplicaSpecs:
        Master:
          replicas: 1
          template: {spec: {containers: [{name: pytorch, image: trainer:v1}]}}
  - apiVersion: kubeflow.org/v1
    kind: PyTorchJob
    metadata: {name: train}
    spec:
      runPolicy: {backoffLimit: 8}
      pytorchReplicaSpecs:
        Master:
          replicas: 1
          template: {spec: {containers: [{name: pytorch, image: trainer:v1}]}}
  - apiVersion: kubeflow.org/v1
    kind: PyTorchJob
    metadata: {name: train, namespace: team}
    spec:
      runPolicy: {backoffLimit: 9}
      pytorchReplicaSpecs:
        Master:
          replicas: 1
          template: {spec: {containers: [{name: pytorch, image: trainer:v1}]}}
)";

TEST_CASE("each job of the report carries its own spec when a job before it was not created") {
  TempDir dir;
  const json report = testing::RunScenario(dir, "same-names", kSameNames);
  REQUIRE(report["jobs"].size() == 2);
  const json& first = report["jobs"][0];
  const json& second = report["jobs"][1];
  CHECK(first["namespace"] == "default");
  CHECK(first["spec"]["runPolicy"]["backoffLimit"] == 7);
  CHECK(second["namespace"] == "team");
  CHECK(second["name"] == "train");
  CHECK(second["spec"]["runPolicy"]["backoffLimit"] == 9);
  CHECK(report["job"] == first);
}

}  // namespace
}  // namespace ptsim
