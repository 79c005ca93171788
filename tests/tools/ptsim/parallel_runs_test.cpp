// `ptsim run -j N`: the only place ptsim runs code on several threads (one
// simulation per thread, each with its own event loop, sharing the orphan
// guard and the memory cgroups). These tests run the real binary; the CI runs
// them under ThreadSanitizer too, where any data race makes ptsim exit
// non-zero and the test fail.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::Read;
using testing::RunCli;
using testing::TempDir;

const std::string kScenarios = PTSIM_SOURCE_DIR "/scenarios/";

TEST_CASE("ptsim run -j 4 runs real and scripted files side by side with one-by-one results") {
  TempDir dir;
  // Real processes (a SIGSEGV and a restart; a memory limit), scripted
  // containers under a seeded chaos fault, and a Flyte task with retries.
  const std::vector<std::string> files = {
      kScenarios + "real-onfailure-sigsegv-restart.yaml",
      kScenarios + "real-oom-memory-limit-exitcode-retry.yaml",
      kScenarios + "chaos-one-worker-from-seed.yaml",
      kScenarios + "flyte/pytorch-onfailure-backofflimit-retried.yaml",
  };
  std::vector<std::string> args = {
      "run", "-j", "4", "--runs-dir", dir / "runs", "--json", dir / "all.json", "--no-timeline"};
  args.insert(args.end(), files.begin(), files.end());
  const auto parallel = RunCli(args, dir.path());
  INFO(parallel.output);
  REQUIRE(parallel.exit_code == 0);
  CHECK(parallel.output.find("4 run(s): 4 passed, 0 failed") != std::string::npos);
  const auto all = nlohmann::json::parse(Read(dir / "all.json"));
  REQUIRE(all["runs"].size() == 4);
  // Each run wrote its own directory, and a scripted run's trace is the one
  // it has when run alone.
  const auto alone =
      RunCli({"run", files[2], "--runs-dir", dir / "alone", "-q", "--json", dir / "alone.json"},
             dir.path());
  REQUIRE(alone.exit_code == 0);
  const auto one = nlohmann::json::parse(Read(dir / "alone.json"));
  for (const auto& run : all["runs"]) {
    INFO(run["name"]);
    CHECK(run["passed"] == true);
    CHECK(!Read(dir / ("runs/" + run["name"].get<std::string>() + "/report.json")).empty());
    if (run["name"] == one["name"]) CHECK(run["traceDigest"] == one["traceDigest"]);
  }
}

TEST_CASE("ptsim run -j 3 --repeat 6 gives identical traces on every thread") {
  TempDir dir;
  const auto r = RunCli({"run", "-j", "3", "--repeat", "6", "-q", "--runs-dir", dir / "runs",
                         kScenarios + "chaos-one-worker-from-seed.yaml"},
                        dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("repeat chaos-one-worker-from-seed: 6 runs with seed 7: identical "
                      "outcomes, identical traces") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
