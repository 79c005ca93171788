// Go's time.ParseDuration and Duration.String as ptsim reads and prints
// durations (sim/model/go_duration.hpp). Cases from Go's time/time_test.go
// (parseDurationTests, durationTests) where ptsim accepts the same input.
#include "sim/model/go_duration.hpp"

#include <catch2/catch.hpp>

namespace ptsim {
namespace {

Duration Parsed(const char* text) {
  std::string error;
  auto d = ParseGoDuration(text, &error);
  INFO(text << ": " << error);
  REQUIRE(d.has_value());
  return *d;
}

std::string Rejected(const char* text) {
  std::string error;
  auto d = ParseGoDuration(text, &error);
  INFO(text);
  REQUIRE_FALSE(d.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

TEST_CASE("parseDurationTests: units, fractions and sums read as Go reads them") {
  using std::chrono::hours;
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  CHECK(Parsed("0") == Duration::zero());
  CHECK(Parsed("5s") == seconds(5));
  CHECK(Parsed("30s") == seconds(30));
  CHECK(Parsed("1478s") == seconds(1478));
  CHECK(Parsed("+5s") == seconds(5));
  CHECK(Parsed("5.0s") == seconds(5));
  CHECK(Parsed("5.6s") == milliseconds(5600));
  CHECK(Parsed("5.s") == seconds(5));
  CHECK(Parsed(".5s") == milliseconds(500));
  CHECK(Parsed("1.004s") == milliseconds(1004));
  CHECK(Parsed("100.00100s") == milliseconds(100001));
  CHECK(Parsed("10ns") == nanoseconds(10));
  CHECK(Parsed("11us") == microseconds(11));
  CHECK(Parsed("12µs") == microseconds(12));
  CHECK(Parsed("12μs") == microseconds(12));
  CHECK(Parsed("13ms") == milliseconds(13));
  CHECK(Parsed("15m") == minutes(15));
  CHECK(Parsed("16h") == hours(16));
  CHECK(Parsed("3h30m") == hours(3) + minutes(30));
  CHECK(Parsed("10.5s4m") == minutes(4) + milliseconds(10500));
  CHECK(Parsed("1h2m3s4ms5us6ns") ==
        hours(1) + minutes(2) + seconds(3) + milliseconds(4) + microseconds(5) + nanoseconds(6));
  CHECK(Parsed("39h9m14.425s") == hours(39) + minutes(9) + milliseconds(14425));
  CHECK(Parsed("0.3333333333333333333h") == nanoseconds(1200000000000));
}

TEST_CASE("parseDurationTests: malformed durations are errors") {
  for (const char* bad : {"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "1.5x", "3000000h"}) {
    Rejected(bad);
  }
}

TEST_CASE("a bare number other than zero is refused with a hint to add a unit") {
  CHECK(Rejected("30").find("unit") != std::string::npos);
}

TEST_CASE("durationTests: Duration.String prints as Go prints") {
  using std::chrono::hours;
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  CHECK(GoDurationString(Duration::zero()) == "0s");
  CHECK(GoDurationString(nanoseconds(1)) == "1ns");
  CHECK(GoDurationString(nanoseconds(1100)) == "1.1µs");
  CHECK(GoDurationString(milliseconds(2200)) == "2.2s");
  CHECK(GoDurationString(milliseconds(250)) == "250ms");
  CHECK(GoDurationString(seconds(10)) == "10s");
  CHECK(GoDurationString(minutes(1) + seconds(20)) == "1m20s");
  CHECK(GoDurationString(minutes(5)) == "5m0s");
  CHECK(GoDurationString(hours(1)) == "1h0m0s");
  CHECK(GoDurationString(hours(4) + minutes(1) + milliseconds(1001)) == "4h1m1.001s");
  CHECK(GoDurationString(-minutes(5)) == "-5m0s");
}

}  // namespace
}  // namespace ptsim
