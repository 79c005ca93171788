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

// A run with a crash, a restart, a fault and a file on a volume, for the
// expectations about containers, logs, faults, files and report values.
const char* kDetailScenario = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: details
pods:
- apiVersion: v1
  kind: Pod
  metadata: {name: p}
  spec:
    restartPolicy: OnFailure
    containers:
    - name: main
      image: busybox
      command: [sh, -c, 'if [ -e $D/once ]; then echo "resumed from step 7"; echo done > $D/result.txt; exit 0; fi; touch $D/once; echo "step 7 loss 0.5"; exec sleep 30']
      env: [{name: D, value: /data}]
      volumeMounts: [{name: data, mountPath: /data}]
    volumes: [{name: data, persistentVolumeClaim: {claimName: scratch}}]
faults:
- name: kill-at-step-7
  action: kill
  signal: SIGKILL
  target: {pod: p}
  when: {logLine: "step 7"}
expect:
)";

std::string Detail(const std::string& expectations) {
  return std::string(kDetailScenario) + expectations;
}

TEST_CASE("termination, log, fault, file and report expectations read the run's details") {
  TempDir dir;
  const json r =
      RunScenario(dir, "details",
                  Detail("- termination: {pod: p, attempt: 0, reason: Error, exitCode: "
                         "137, signal: 9}\n"
                         "- termination: {pod: p, reason: Completed, exitCode: 0}\n"
                         "- log: {pod: p, attempt: 1, matches: '^resumed from step 7$'}\n"
                         "- log: {pod: p, matches: step, equals: 2}\n"
                         "- fault: {name: kill-at-step-7, fired: 1}\n"
                         "- file: {path: volumes/default/scratch/result.txt, matches: "
                         "'^done$'}\n"
                         "- file: {path: volumes/default/scratch/missing, exists: false}\n"
                         "- report: {path: /pods/0/containers/0/restartCount, equals: 1}\n"
                         "- report: {path: /pods/0/phase, matches: '^Succeeded$'}\n"
                         "- report: {path: /virtualSeconds, min: 0, max: 5}\n"
                         "- report: {path: /job, exists: false}\n"));
  REQUIRE(r["expectations"].size() == 11);
  for (const auto& e : r["expectations"]) {
    INFO(e.dump());
    CHECK(e["passed"] == true);
  }
}

TEST_CASE("termination, log, fault, file and report expectations fail with what was found") {
  TempDir dir;
  const json r =
      RunScenario(dir, "details-fail",
                  Detail("- termination: {pod: p, attempt: 0, reason: OOMKilled}\n"
                         "- termination: {pod: p, attempt: 5, exitCode: 1}\n"
                         "- log: {pod: p, attempt: 0, matches: resumed}\n"
                         "- fault: {name: kill-at-step-7, fired: 2}\n"
                         "- file: {path: volumes/default/scratch/result.txt, matches: '^failed$'}\n"
                         "- report: {path: /pods/0/containers/0/restartCount, equals: 0}\n"
                         "- report: {path: /pods/0/nothing, exists: true}\n"));
  REQUIRE(r["expectations"].size() == 7);
  for (const auto& e : r["expectations"]) {
    INFO(e.dump());
    CHECK(e["passed"] == false);
  }
  CHECK(r["expectations"][0]["actual"][0] == "run 0: reason Error, exit code 137, signal 9");
  CHECK(r["expectations"][1]["actual"] == "no such attempt");
  CHECK(r["expectations"][2]["actual"] == "no matching line");
  CHECK(r["expectations"][3]["actual"].size() == 1);
  CHECK(r["expectations"][4]["actual"] == "no matching line");
  CHECK(r["expectations"][5]["actual"] == 1);
  CHECK(r["expectations"][6]["actual"] == "absent");
}

TEST_CASE("neverCondition and conditions with message and time windows") {
  TempDir dir;
  std::string yaml = kScenario;
  yaml +=
      "- neverCondition: Restarting\n"
      "- neverCondition: {type: Failed}\n"
      "- conditions: [{type: Running, message: 'is running\\.$', before: 1s}, "
      "{type: Succeeded, after: 39s, before: 41s}]\n"
      "- neverCondition: Running\n"
      "- conditions: [{type: Succeeded, before: 10s}]\n";
  const json r = RunScenario(dir, "never", yaml);
  const json& e = r["expectations"];
  REQUIRE(e.size() == 15);
  CHECK(e[10]["passed"] == true);
  CHECK(e[11]["passed"] == true);
  CHECK(e[12]["passed"] == true);
  CHECK(e[13]["passed"] == false);
  CHECK(e[13]["actual"][0].get<std::string>().rfind("Running=True (PyTorchJobRunning) at", 0) == 0);
  CHECK(e[14]["passed"] == false);
}

}  // namespace
}  // namespace ptsim
