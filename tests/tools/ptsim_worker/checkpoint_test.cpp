// Checkpoints, result files and the model math that makes resuming exact.
#include "tools/ptsim-worker/checkpoint.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>

#include "tests/tools/ptsim_worker/worker_process.hpp"
#include "tools/ptsim-worker/exact_double.hpp"
#include "tools/ptsim-worker/model.hpp"

namespace ptsim::worker {
namespace {

using testing::TempDir;

TEST_CASE("hex floats carry every double bit for bit") {
  const double inf = std::numeric_limits<double>::infinity();
  for (double v : {0.1, -1.0 / 3.0, 1e-310, 6.02214076e23, inf, -0.0}) {
    INFO(ToHexFloat(v));
    const double back = ParseExactDouble(ToHexFloat(v)).value();
    CHECK(std::bit_cast<std::uint64_t>(back) == std::bit_cast<std::uint64_t>(v));
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(ParseExactDouble(ToHexFloat(nan)).value()));
  CHECK_FALSE(ParseExactDouble("0x1p+0junk"));
}

TEST_CASE("the newest valid checkpoint wins and invalid newer ones are skipped") {
  TempDir dir;
  const std::string ckpt = dir / "ckpt";
  TrainingState ten{10, 0.25, {0.1, -1.0 / 3.0, 1e-310}};
  TrainingState twenty{20, 0.125, {0.2, 2.0 / 3.0, -1e-300}};
  CHECK(SaveCheckpoint(ckpt, ten, 3).value() == ckpt + "/ckpt-10.json");
  CHECK(SaveCheckpoint(ckpt, twenty, 3).value() == ckpt + "/ckpt-20.json");
  std::ofstream(ckpt + "/ckpt-30.json") << "{\"step\": 30, \"params_hex\": [";  // torn
  std::ofstream(ckpt + "/ckpt-40.json") << "{\"step\": 41, \"params_hex\": []}";
  std::ofstream(ckpt + "/ckpt-50.json.tmp.123") << "garbage";
  std::ofstream(ckpt + "/notes.txt") << "ignored";

  const auto scan = FindLatestCheckpoint(ckpt, 3);
  REQUIRE(scan.ok());
  REQUIRE(scan.value().latest);
  const TrainingState& state = scan.value().latest->state;
  CHECK(state.step == 20);
  CHECK(state.loss == 0.125);
  CHECK(state.params == twenty.params);
  CHECK(scan.value().skipped.size() == 2);

  // Another dimension makes every checkpoint invalid: start fresh.
  CHECK_FALSE(FindLatestCheckpoint(ckpt, 4).value().latest);
  // No directory at all: start fresh.
  CHECK_FALSE(FindLatestCheckpoint(dir / "missing", 3).value().latest);
}

TEST_CASE("a rank's batch depends only on the step and the rank") {
  const std::vector<double> params = InitialParams(4);
  const auto a = ComputeLossAndGradient(params, 7, 1);
  const auto b = ComputeLossAndGradient(params, 7, 1);
  CHECK(a.loss == b.loss);
  CHECK(a.gradient == b.gradient);
  CHECK(ComputeLossAndGradient(params, 7, 2).loss != a.loss);
  CHECK(ComputeLossAndGradient(params, 8, 1).loss != a.loss);

  // Plain gradient descent on the full objective moves toward the target.
  std::vector<double> w = params;
  for (std::int64_t step = 1; step <= 200; ++step) {
    SgdUpdate(w, ComputeLossAndGradient(w, step, 0).gradient, 0.1);
  }
  const std::vector<double> target = TargetParams(4);
  for (std::size_t i = 0; i < w.size(); ++i)
    CHECK(w[i] == Approx(target[i]).margin(0.05));
}

}  // namespace
}  // namespace ptsim::worker
