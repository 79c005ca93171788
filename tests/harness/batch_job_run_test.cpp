// batch/v1 Jobs run by `ptsim run` as a user runs them: the kubernetes.io pi
// example with its image mapped, a real process, and the API server's
// refusal of an invalid Job before the run.
#include <catch2/catch.hpp>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::Read;
using testing::RunCli;
using testing::TempDir;
using testing::Write;

// kubernetes/website content/en/examples/controllers/job.yaml.
const char* const kPiJob = R"yaml(apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
)yaml";

TEST_CASE("the kubernetes.io pi Job runs with its image mapped and completes") {
  TempDir dir;
  Write(dir / "job.yaml", kPiJob);
  auto r = RunCli({"run", "job.yaml", "--image", "perl:5.34.0={script: \"run 3s\"}", "--json",
                   "report.json", "-q"},
                  dir.path());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto report = nlohmann::json::parse(Read(dir / "report.json"));
  const auto& job = report["job"];
  CHECK(job["kind"] == "Job");
  CHECK(job["status"]["succeeded"] == 1);
  CHECK(job["status"]["conditions"].back()["type"] == "Complete");
  CHECK(job["status"]["conditions"].back()["reason"] == "CompletionsReached");
}

TEST_CASE("a Job of a real process that fails ends with BackoffLimitExceeded") {
  TempDir dir;
  Write(dir / "job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata: {name: fails}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: main, image: local, command: [sh, -c, "exit 3"]}
)");
  auto r =
      RunCli({"run", "job.yaml", "--image", "local={}", "--json", "report.json", "-q"}, dir.path());
  INFO(r.output);
  const auto report = nlohmann::json::parse(Read(dir / "report.json"));
  const auto& status = report["job"]["status"];
  CHECK(status["failed"] == 1);
  CHECK(status["conditions"].back()["type"] == "Failed");
  CHECK(status["conditions"].back()["reason"] == "BackoffLimitExceeded");
}

TEST_CASE(
    "a Job with restartPolicy Always is refused before the run with the API server's "
    "message and its line") {
  TempDir dir;
  std::string job = kPiJob;
  job.replace(job.find("restartPolicy: Never"), 20, "restartPolicy: Always");
  Write(dir / "job.yaml", job);
  auto r =
      RunCli({"run", "job.yaml", "--image", "perl:5.34.0={script: \"run 3s\"}", "-q"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("job.yaml:12") != std::string::npos);
  CHECK(r.output.find("spec.template.spec.restartPolicy: Required value: valid values: "
                      "\"OnFailure\", \"Never\"") != std::string::npos);
}

TEST_CASE("a Job with more parallel pods than ptsim simulates is refused before the run") {
  TempDir dir;
  std::string job = kPiJob;
  const std::string limit = "  backoffLimit: 4";
  job.replace(job.find(limit), limit.size(), "  parallelism: 20000");
  Write(dir / "job.yaml", job);
  auto r =
      RunCli({"run", "job.yaml", "--image", "perl:5.34.0={script: \"run 3s\"}", "-q"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("spec.parallelism: Invalid value: 20000: ptsim simulates at most 10000") !=
        std::string::npos);
}

}  // namespace
}  // namespace ptsim
