// TrainJobs through the harness: runtimes in the input, the built-in
// torch-distributed, admission errors with file and line, the Trainer
// release knob, and what the report shows.
#include <catch2/catch.hpp>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::LoadErrors;
using testing::RunScenario;
using testing::TempDir;

std::string Scenario(const std::string& job, const std::string& rest = "") {
  return "apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\ntimeout: 5m\n" + job + rest;
}

const char* kDeadlineJob = R"(job:
  apiVersion: trainer.kubeflow.org/v1alpha1
  kind: TrainJob
  metadata: {name: tj}
  spec:
    runtimeRef: {name: torch-distributed}
    activeDeadlineSeconds: 20
    trainer: {numNodes: 2}
)";

TEST_CASE("A TrainJob naming a missing runtime is refused with upstream's field and message") {
  TempDir dir;
  const std::string errors = LoadErrors(dir, Scenario(R"(job:
  apiVersion: trainer.kubeflow.org/v1alpha1
  kind: TrainJob
  metadata: {name: tj}
  spec:
    runtimeRef: {name: torch-distributd}
)"));
  CHECK_THAT(errors, Catch::Contains(":10:"));  // the line of runtimeRef
  CHECK_THAT(errors, Catch::Contains("spec.RuntimeRef: Invalid value: \"torch-distributd\": "
                                     "clustertrainingruntimes.trainer.kubeflow.org "
                                     "\"torch-distributd\" not found: specified "
                                     "clusterTrainingRuntime must be created before the TrainJob "
                                     "is created"));
}

TEST_CASE("Reserved PET env in a TrainJob is refused before the run") {
  TempDir dir;
  const std::string errors = LoadErrors(dir, Scenario(R"(job:
  apiVersion: trainer.kubeflow.org/v1alpha1
  kind: TrainJob
  metadata: {name: tj}
  spec:
    runtimeRef: {name: torch-distributed}
    trainer:
      env: [{name: PET_MASTER_PORT, value: "1"}]
)"));
  CHECK_THAT(errors, Catch::Contains("must not have reserved envs, invalid envs configured: "
                                     "[PET_MASTER_PORT]"));
}

TEST_CASE("A TrainingRuntime in the input is what its TrainJob runs on") {
  TempDir dir;
  const std::string file = dir.path() + "/in.yaml";
  testing::Write(file, R"(apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainingRuntime
metadata: {name: mine}
spec:
  mlPolicy: {numNodes: 1, torch: {}}
  template:
    spec:
      replicatedJobs:
      - name: node
        replicas: 2
        template:
          metadata:
            labels: {trainer.kubeflow.org/trainjob-ancestor-step: trainer}
          spec:
            template:
              spec:
                containers: [{name: node, image: x}]
)");
  const auto errors = testing::RunCli({"run", file}, dir.path());
  CHECK(errors.exit_code == 2);
  CHECK_THAT(errors.output, Catch::Contains("always must be 1"));
}

TEST_CASE("A TrainJob's deadline fails it in the report under the default release") {
  TempDir dir;
  const auto report = RunScenario(dir, "deadline", Scenario(kDeadlineJob));
  const auto& job = report["jobs"][0];
  CHECK(job["kind"] == "TrainJob");
  CHECK(job["status"]["conditions"][0]["reason"] == "DeadlineExceeded");
  CHECK(job["status"]["conditions"][0]["lastTransitionTime"] == 20.0);
}

TEST_CASE("trainerVersion must name a known Trainer release") {
  TempDir dir;
  CHECK(LoadErrors(dir, Scenario(kDeadlineJob, "trainerVersion: fixed\n")) == "");
  CHECK_THAT(LoadErrors(dir, Scenario(kDeadlineJob, "trainerVersion: v9\n")),
             Catch::Contains("unknown Trainer version \"v9\"; choose one of v2.3.0, fixed"));
}

TEST_CASE("The trainer-version flag is checked by the command line") {
  TempDir dir;
  testing::Write(dir.path() + "/s.yaml", Scenario(kDeadlineJob));
  auto bad = testing::RunCli({"run", "s.yaml", "--trainer-version", "v1"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("--trainer-version v1: unknown"));
  auto ok = testing::RunCli({"run", "s.yaml", "--trainer-version", "fixed"}, dir.path());
  CHECK(ok.exit_code == 0);
}

}  // namespace
}  // namespace ptsim

namespace ptsim {
namespace {

TEST_CASE("A TrainJob runs on a TrainingRuntime of its namespace from the input") {
  TempDir dir;
  const std::string runtime = R"(apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainingRuntime
metadata: {name: mine}
spec:
  mlPolicy: {numNodes: 1, torch: {}}
  template:
    spec:
      replicatedJobs:
      - name: node
        template:
          metadata:
            labels: {trainer.kubeflow.org/trainjob-ancestor-step: trainer}
          spec:
            template:
              spec:
                containers: [{name: node, image: x}]
---
)";
  const std::string job = R"(apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata: {name: tj}
spec:
  runtimeRef: {name: mine, kind: TrainingRuntime}
  activeDeadlineSeconds: 5
)";
  testing::Write(dir.path() + "/ok.yaml", runtime + job);
  auto ok = testing::RunCli({"run", "ok.yaml"}, dir.path());
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.output, Catch::Contains("DeadlineExceeded"));
  testing::Write(dir.path() + "/missing.yaml", job);
  auto missing = testing::RunCli({"run", "missing.yaml"}, dir.path());
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Contains("missing.yaml:5:"));
  CHECK_THAT(missing.output,
             Catch::Contains("spec.runtimeRef: Invalid value: \"mine\": "
                             "trainingruntimes.trainer.kubeflow.org \"mine\" not found: specified "
                             "trainingRuntime must be created before the TrainJob is created"));
}

TEST_CASE("An image mapping for the default runtime's trainer is used, not warned about") {
  TempDir dir;
  testing::Write(dir / "s.yaml",
                 Scenario(kDeadlineJob,
                          "images:\n  pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime: {script: "
                          "\"run 5s, exit 0\"}\n  unused:v1: {script: \"exit 0\"}\n"));
  auto r = testing::RunCli({"run", "s.yaml", "-q"}, dir.path());
  INFO(r.output);
  CHECK(r.output.find("\"pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime\": no container") ==
        std::string::npos);
  CHECK(r.output.find("image \"unused:v1\": no container uses this mapping") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
