#include "tests/harness/expectation_fixture.hpp"

#include <yaml-cpp/yaml.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "sim/harness/expectations/registry.hpp"

namespace ptsim::testing {

using nlohmann::json;

DecodedExpectation DecodeOne(const std::string& yaml) {
  Diagnostics diagnostics;
  DecodeContext ctx("scenario.yaml", &diagnostics);
  DecodedExpectation out;
  DecodeExpectation(ctx, YAML::Load(yaml), "expect[0]", &out.spec);
  out.errors = diagnostics.Render();
  return out;
}

ExpectationResult Check(const std::string& yaml, const json& report) {
  const DecodedExpectation d = DecodeOne(yaml);
  INFO(yaml);
  REQUIRE(d.errors == "");
  REQUIRE(d.spec.expectation);
  return Evaluate(d.spec, report);
}

std::string ReferenceErrors(const std::string& yaml, const PlanFacts& facts) {
  const DecodedExpectation d = DecodeOne(yaml);
  REQUIRE(d.errors == "");
  Diagnostics diagnostics;
  CheckExpectationReferences({d.spec}, facts, &diagnostics);
  return diagnostics.Render();
}

json JobReport(const TempDir& dir) {
  std::ofstream(dir / "m0.log") << "step 1\nstep 2\n";
  std::ofstream(dir / "m1.log.1") << "resumed from step 2\n";  // rotated
  std::ofstream(dir / "m1.log") << "step 3\n";
  std::ofstream(dir / "result.txt") << "loss 0.5\ndone\n";
  const json job = json::parse(R"({
    "name": "job", "namespace": "default", "deletedAt": 70.0,
    "status": {"conditions": [
      {"type": "Created", "status": "True", "reason": "PyTorchJobCreated", "message": "created",
       "lastTransitionTime": 0.0},
      {"type": "Succeeded", "status": "True", "reason": "PyTorchJobSucceeded",
       "message": "PyTorchJob job is successfully completed.", "lastTransitionTime": 40.0}]},
    "conditionHistory": [
      {"type": "Created", "status": "True", "reason": "PyTorchJobCreated", "message": "", "time": 0.0},
      {"type": "Running", "status": "True", "reason": "PyTorchJobRunning", "message": "", "time": 1.0},
      {"type": "Restarting", "status": "True", "reason": "PyTorchJobRestarting", "message": "",
       "time": 20.0},
      {"type": "Succeeded", "status": "True", "reason": "PyTorchJobSucceeded",
       "message": "PyTorchJob job is successfully completed.", "time": 40.0}]})");
  json report = json::parse(R"({
    "outcome": "completed", "virtualSeconds": 70.5, "flyte": null,
    "services": [{"name": "job-master-0", "deletedAt": 70.0}],
    "events": [
      {"object": "Pod/job-master-0", "reason": "BackOff", "message": "Back-off restarting", "count": 3},
      {"object": "PyTorchJob/job", "reason": "ExitedWithCode",
       "message": "Pod: default.job-master-0 exited with code 1", "count": 1}],
    "notes": [{"time": 0.0, "text": "a known upstream bug", "ref": "kubeflow/training-operator#1709"}],
    "faults": [{"name": "kill-master", "fired": [{"time": 5.0, "targets": ["job-master-0/pytorch"]}]},
               {"name": "never", "fired": []}]})");
  report["runDir"] = dir.path();
  report["job"] = job;
  report["jobs"] = json::array({job});
  json master = json::parse(R"({
    "name": "job-master-0", "replicaType": "Master", "phase": "Succeeded", "deletedAt": null,
    "initContainers": [],
    "containers": [{"name": "pytorch", "restartCount": 1,
      "env": [{"name": "FOO", "value": "declared"}],
      "resolvedEnv": {"WORLD_SIZE": "2", "FOO": "declared"},
      "runs": [{"restartCount": 0, "reason": "Error", "exitCode": 137, "signal": 9},
               {"restartCount": 1, "reason": "Completed", "exitCode": 0, "signal": null}]}]})");
  master["containers"][0]["runs"][0]["log"] = dir / "m0.log";
  master["containers"][0]["runs"][1]["log"] = dir / "m1.log";
  // worker-0 failed, was deleted and was created again (same name, new uid).
  const json old_worker = json::parse(R"({
    "name": "job-worker-0", "replicaType": "Worker", "phase": "Failed", "deletedAt": 30.0,
    "initContainers": [], "containers": [{"name": "pytorch", "restartCount": 2, "runs": []}]})");
  const json new_worker = json::parse(R"({
    "name": "job-worker-0", "replicaType": "Worker", "phase": "Running", "deletedAt": null,
    "initContainers": [], "containers": [{"name": "pytorch", "restartCount": 0, "runs": []}]})");
  report["pods"] = json::array({master, old_worker, new_worker});
  return report;
}

PlanFacts JobPlanFacts() {
  PlanFacts facts;
  facts.pods = {"job-master-0", "job-worker-0"};
  facts.replica_types = {"Master", "Worker"};
  facts.jobs = {"job"};
  facts.faults = {"kill-master", "never"};
  return facts;
}

}  // namespace ptsim::testing
