#include "sim/core/time.hpp"

#include <catch2/catch.hpp>

namespace ptsim {
namespace {

TEST_CASE("durations format in their shortest human form") {
  CHECK(FormatDuration(Seconds(0)) == "0s");
  CHECK(FormatDuration(Seconds(10)) == "10s");
  CHECK(FormatDuration(Millis(1500)) == "1.5s");
  CHECK(FormatDuration(Seconds(300)) == "5m");
  CHECK(FormatDuration(Seconds(3723)) == "1h2m3s");
  CHECK(FormatDuration(Seconds(3600)) == "1h");
}

TEST_CASE("timestamps are virtual seconds with millisecond precision") {
  CHECK(FormatTimestamp(kRunStart + Millis(12500)) == "  12.500s");
}

}  // namespace
}  // namespace ptsim
