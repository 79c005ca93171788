// Expectations against a run's report: what holds, and want vs got when not.
#include <catch2/catch.hpp>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using nlohmann::json;
using testing::RunScenario;
using testing::TempDir;

const char* kScenario = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: expectations
job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: job}
  spec:
    runPolicy: {ttlSecondsAfterFinished: 30, cleanPodPolicy: All}
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        restartPolicy: OnFailure
        template:
          metadata: {annotations: {script.ptsim.io/pytorch: "run 20s, exit 1 | run 20s, exit 0"}}
          spec: {containers: [{name: pytorch, image: trainer}]}
expect:
- finalCondition: {type: Succeeded, reason: PyTorchJobSucceeded, message: "successfully completed"}
- conditions: [Created, Running, Succeeded]
- restartCount: {pod: job-master-0, equals: 1}
- podsDeleted: [job-master-0]
- servicesDeleted: [job-master-0]
- jobDeleted: {after: 70s, before: 71s}
- event: {reason: BackOff, object: Pod/job-master-0, equals: 0}
- env: {pod: job-master-0, name: WORLD_SIZE, value: "1"}
- duration: {min: 70s, max: 71s}
- outcome: completed
)";

TEST_CASE("expectations that hold pass, and each is described") {
  TempDir dir;
  const json r = RunScenario(dir, "ok", kScenario);
  REQUIRE(r["expectations"].size() == 10);
  for (const auto& e : r["expectations"]) {
    INFO(e.dump());
    CHECK(e["passed"] == true);
  }
  CHECK(r["passed"] == true);
  CHECK(r["expectations"][5]["description"] == "the job is deleted between 1m10s and 1m11s");
}

TEST_CASE("failed expectations fail the run and show want and got") {
  TempDir dir;
  std::string yaml = kScenario;
  yaml +=
      "- restartCount: {pod: job-master-0, equals: 3}\n- finalCondition: {type: Failed}\n"
      "- podsExist: [job-master-0]\n";
  const json r = RunScenario(dir, "fail", yaml);
  CHECK(r["passed"] == false);
  const json& restarts = r["expectations"][10];
  CHECK(restarts["passed"] == false);
  CHECK(restarts["expected"] == "= 3");
  CHECK(restarts["actual"] == 1);
  const json& final_condition = r["expectations"][11];
  CHECK(final_condition["expected"] == "Failed");
  CHECK(final_condition["actual"].get<std::string>().rfind("Succeeded=True (PyTorchJobSucceeded)",
                                                           0) == 0);
  CHECK(r["expectations"][12]["actual"]["job-master-0"] == "deleted");
}

}  // namespace
}  // namespace ptsim
