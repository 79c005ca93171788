// `ptsim events` on a scripted run: kubectl events' columns, aggregation
// counts, --for and --types.
#include <catch2/catch.hpp>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::RunCli;
using testing::TempDir;
using testing::Write;

// The worker is OOM-killed twice and restarted in place (Warning BackOff
// events are aggregated by the API server).
const char* kEvents = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: ev
images:
  trainer:v1: {script: "run 10s, oom | run 10s, oom | run 10s, exit 0"}
job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: ej}
  spec:
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        restartPolicy: OnFailure
        template:
          spec:
            containers:
            - {name: pytorch, image: trainer:v1}
)";

TEST_CASE("ptsim events prints kubectl's columns with counts, relative to the run's end") {
  TempDir dir;
  Write(dir.path() + "/ev.yaml", kEvents);
  REQUIRE(RunCli({"run", "ev.yaml", "-q"}, dir.path()).exit_code == 0);
  auto r = RunCli({"events", "ev"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("LAST SEEN counts back from its end") != std::string::npos);
  CHECK(r.output.find("\nLAST SEEN           TYPE      REASON ") != std::string::npos);
  // Started three times: the last 10s before the end, the first at 0.
  CHECK(r.output.find("Normal    Started ") != std::string::npos);
  CHECK(r.output.find("(x3 over ") != std::string::npos);
  CHECK(r.output.find("Pod/ej-master-0") != std::string::npos);

  auto warnings = RunCli({"events", "ev", "--types", "Warning"}, dir.path());
  INFO(warnings.output);
  CHECK(warnings.exit_code == 0);
  CHECK(warnings.output.find("Normal") == std::string::npos);
  CHECK(warnings.output.find("Warning") != std::string::npos);

  auto job = RunCli({"events", "ev", "--for", "pytorchjob/ej"}, dir.path());
  CHECK(job.exit_code == 0);
  CHECK(job.output.find("Pod/") == std::string::npos);
  CHECK(job.output.find("PyTorchJob/ej") != std::string::npos);

  auto bad = RunCli({"events", "ev", "--types", "Error"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("valid --types are Normal or Warning") != std::string::npos);
  bad = RunCli({"events", "ev", "--for", "pod/nope"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("pods in the run: ej-master-0") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
