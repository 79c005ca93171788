#include "sim/core/spelling.hpp"

#include <catch2/catch.hpp>

namespace ptsim {
namespace {

TEST_CASE("edit distance ignores case and counts insertions, deletions and substitutions") {
  CHECK(EditDistance("PyTorchJob", "PyTorchJob") == 0);
  CHECK(EditDistance("pytorchjob", "PyTorchJob") == 0);
  CHECK(EditDistance("PytorchJobs", "PyTorchJob") == 1);
  CHECK(EditDistance("--operator-verison", "--operator-version") == 2);
  CHECK(EditDistance("", "abc") == 3);
}

TEST_CASE("the nearest candidate within the distance is suggested, never the word itself") {
  const std::vector<std::string> options = {"--operator-version", "--torch-version", "--timeout"};
  CHECK(Nearest("--operator-verison", options, 3) == "--operator-version");
  CHECK(Nearest("--torch-verison", options, 3) == "--torch-version");
  CHECK(Nearest("--colour", options, 3).empty());
  CHECK(Nearest("--timeout", options, 3).empty());
  CHECK(DidYouMean("none", {"None", "Running", "All"}, 2) == "; did you mean \"None\"?");
  CHECK(DidYouMean("Sometimes", {"None", "Running", "All"}, 2).empty());
}

}  // namespace
}  // namespace ptsim
