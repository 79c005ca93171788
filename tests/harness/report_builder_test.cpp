// The report of a run (BuildReport): each recorded job is paired with its
// plan entry by kind, namespace and name (never by position), every top-level
// job is listed with its apiVersion, kind and metadata, and expectations are
// evaluated against the report.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>

#include "sim/harness/pytorchjob_kind.hpp"
#include "sim/harness/report_builder.hpp"
#include "tests/harness/expectation_fixture.hpp"
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
  // Each entry is also the object as the API server holds it.
  CHECK(second["apiVersion"] == "kubeflow.org/v1");
  CHECK(second["kind"] == "PyTorchJob");
  CHECK(second["metadata"]["name"] == "train");
  CHECK(second["metadata"]["namespace"] == "team");
  CHECK(second["metadata"]["uid"] == second["uid"]);
  CHECK(second["metadata"]["creationTimestamp"] == second["createdAt"]);
  CHECK(second["metadata"]["labels"].is_object());
  CHECK(second["metadata"]["annotations"].is_object());
  CHECK(second["status"]["conditions"].back()["type"] == "Succeeded");
  CHECK(second["conditionHistory"].size() >= 3);
}

// A job "train" in `ns`, with backoffLimit `limit`, planned as written.
PlannedJob Planned(const std::string& ns, int limit) {
  const std::string text = fmt::format(R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {{name: train, namespace: {}}}
spec:
  runPolicy: {{backoffLimit: {}}}
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template: {{spec: {{containers: [{{name: pytorch, image: trainer:v1}}]}}}}
)",
                                       ns, limit);
  Diagnostics diags;
  DecodeContext ctx("job.yaml", &diags);
  std::vector<PlanNote> notes;
  PlannedJob job = PyTorchJobKind().Decode(ctx, YAML::Load(text), kDefaultOperatorVersion, &notes);
  REQUIRE(diags.ok());
  return job;
}

// A run's recorder over a simulation without nodes, for BuildReport.
struct Recorded {
  ManualWallClock wall;
  Simulation sim{[this] {
    SimulationOptions o;
    o.wall = &wall;
    return o;
  }()};
  RunRecorder recorder{sim.api()};
  RunPlan plan;

  json Report() {
    sim.loop().Run(sim.loop().Now() + std::chrono::seconds(1));
    recorder.MarkSurvivors(sim.loop().Now());
    RunRecord record;
    record.plan = &plan;
    record.recorder = &recorder;
    record.end = sim.loop().Now();
    record.events = &sim.api().events().list();
    return BuildReport(record);
  }
};

TEST_CASE("BuildReport pairs jobs created in another order than planned with their own entries") {
  Recorded r;
  r.plan.jobs = {Planned("a", 1), Planned("b", 2)};
  // Created (and so recorded) b first, then a.
  for (int i : {1, 0})
    REQUIRE(r.plan.jobs[i].kind->Create(r.sim, r.plan.jobs[i]).ok());
  const json report = r.Report();
  REQUIRE(report["jobs"].size() == 2);
  CHECK(report["jobs"][0]["namespace"] == "b");
  CHECK(report["jobs"][0]["spec"]["runPolicy"]["backoffLimit"] == 2);
  CHECK(report["jobs"][1]["namespace"] == "a");
  CHECK(report["jobs"][1]["spec"]["runPolicy"]["backoffLimit"] == 1);
}

TEST_CASE("a job owned by another job of the run is not a top-level job of the report") {
  Recorded r;
  r.plan.jobs = {Planned("a", 1)};
  REQUIRE(r.plan.jobs[0].kind->Create(r.sim, r.plan.jobs[0]).ok());
  const auto parent = r.sim.api().collection<PyTorchJob>().Get("a", "train");
  PyTorchJob child = *r.plan.jobs[0].As<PyTorchJob>();
  child.metadata.name = "child";
  child.metadata.owner_references.push_back(
      {"kubeflow.org/v1", "PyTorchJob", "train", parent->metadata.uid, true, true});
  REQUIRE(r.sim.api().collection<PyTorchJob>().Create(child).ok());
  const json report = r.Report();
  REQUIRE(report["jobs"].size() == 1);
  CHECK(report["jobs"][0]["name"] == "train");
}

TEST_CASE("expectations are evaluated against the report and decide whether it passed") {
  Recorded r;
  r.plan.jobs = {Planned("a", 1)};
  REQUIRE(r.plan.jobs[0].kind->Create(r.sim, r.plan.jobs[0]).ok());
  const ExpectationSpec created = testing::DecodeOne("finalCondition: {type: Created}").spec;
  const ExpectationSpec succeeded = testing::DecodeOne("finalCondition: {type: Succeeded}").spec;
  REQUIRE(created.expectation);
  REQUIRE(succeeded.expectation);
  const json report = r.Report();
  CHECK(report["passed"] == true);
  json held = report;
  AddExpectationResults({created}, &held);
  CHECK(held["passed"] == true);
  REQUIRE(held["expectations"].size() == 1);
  json failed = report;
  AddExpectationResults({created, succeeded}, &failed);
  CHECK(failed["passed"] == false);
  REQUIRE(failed["expectations"].size() == 2);
  CHECK(failed["expectations"][0]["passed"] == true);
  CHECK(failed["expectations"][1]["passed"] == false);
}

}  // namespace
}  // namespace ptsim
