// Every fuzz target replays, in the normal test suite, its seeds (drawn from
// the repository, corpus.hpp) and the inputs in tests/fuzz/regressions/<target>/
// that once crashed, hung or exhausted ptsim. A target aborts on a broken
// invariant, so a regression fails this test by crashing it.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/corpus.hpp"
#include "tests/fuzz/targets.hpp"

namespace ptsim::fuzz {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::vector<std::string>>& Seeds() {
  static const auto seeds = SeedInputs(PTSIM_SOURCE_DIR);
  return seeds;
}

// Runs `target` on its seeds and regression inputs; returns how many.
std::size_t Replay(std::string_view name) {
  TargetFunction run = nullptr;
  for (const auto& t : Targets()) {
    if (t.name == name) run = t.run;
  }
  REQUIRE(run != nullptr);
  std::vector<std::pair<std::string, std::string>> inputs;
  if (auto it = Seeds().find(std::string(name)); it != Seeds().end()) {
    for (const auto& s : it->second)
      inputs.emplace_back("a seed", s);
  }
  const fs::path dir = fs::path(PTSIM_SOURCE_DIR) / "tests/fuzz/regressions" / std::string(name);
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      inputs.emplace_back(entry.path().filename().string(), text.str());
    }
  }
  for (const auto& [what, input] : inputs) {
    INFO(what);
    const auto start = std::chrono::steady_clock::now();
    CHECK(run(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()) == 0);
    // A regression of a hang shows as a slow input long before a timeout.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
  return inputs.size();
}

}  // namespace

TEST_CASE("the yaml_stream target handles the repository's files and its regressions") {
  CHECK(Replay("yaml_stream") > 20);
}
TEST_CASE("the pod_manifest target handles the repository's files and its regressions") {
  CHECK(Replay("pod_manifest") > 20);
}
TEST_CASE("the pytorchjob_manifest target handles the repository's files and its regressions") {
  CHECK(Replay("pytorchjob_manifest") > 20);
}
TEST_CASE("the run_file target handles the repository's files and its regressions") {
  CHECK(Replay("run_file") > 20);
}
TEST_CASE("the flyte_task_file target handles the repository's files and its regressions") {
  CHECK(Replay("flyte_task_file") > 20);
}
TEST_CASE("the flyte_template target handles the repository's files and its regressions") {
  CHECK(Replay("flyte_template") > 20);
}
TEST_CASE("the fault_flag target handles the documented examples and its regressions") {
  CHECK(Replay("fault_flag") >= 5);
}
TEST_CASE("the container_script target handles the shipped scripts and its regressions") {
  CHECK(Replay("container_script") >= 5);
}
TEST_CASE("the torchrun_args target handles the shipped command lines and its regressions") {
  CHECK(Replay("torchrun_args") >= 1);
}
TEST_CASE("the go_duration target handles the shipped durations and its regressions") {
  CHECK(Replay("go_duration") >= 5);
}
TEST_CASE("the quantity target handles the shipped quantities and its regressions") {
  CHECK(Replay("quantity") >= 5);
}
TEST_CASE("the label_selector target handles the shipped selectors and its regressions") {
  CHECK(Replay("label_selector") >= 3);
}

TEST_CASE("every fuzz target has a replay test and a seed corpus") {
  for (const auto& t : Targets()) {
    INFO(t.name);
    CHECK(Seeds().count(std::string(t.name)) == 1);
  }
}

}  // namespace ptsim::fuzz
