// Go-style durations and signal names, as ptsim-worker's flags read them.
#include "tools/ptsim-worker/duration.hpp"

#include <catch2/catch.hpp>
#include <csignal>

#include "tools/ptsim-worker/signals.hpp"

namespace ptsim::worker {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_CASE("durations parse Go-style strings") {
  CHECK(ParseDuration("0").value() == Duration::zero());
  CHECK(ParseDuration("10ms").value() == milliseconds(10));
  CHECK(ParseDuration("1.5s").value() == milliseconds(1500));
  CHECK(ParseDuration("2m").value() == minutes(2));
  CHECK(ParseDuration("1h").value() == hours(1));
  CHECK(ParseDuration("1h30m").value() == minutes(90));
  CHECK(ParseDuration("250us").value() == std::chrono::microseconds(250));
  CHECK(ParseDuration("7ns").value() == Duration(7));
  CHECK(ParseDuration(".5s").value() == milliseconds(500));
}

TEST_CASE("bad durations are rejected with a reason") {
  CHECK(ParseDuration("10").error().starts_with("missing unit"));
  CHECK(ParseDuration("10parsecs").error().starts_with("unknown unit"));
  CHECK(ParseDuration("-1s").error().starts_with("durations cannot be negative"));
  CHECK_FALSE(ParseDuration(""));
  CHECK_FALSE(ParseDuration("s"));
  CHECK_FALSE(ParseDuration("1..2s"));
  CHECK_FALSE(ParseDuration("100000000h"));
}

TEST_CASE("durations format in a short form that parses back") {
  CHECK(FormatDuration(Duration::zero()) == "0s");
  CHECK(FormatDuration(milliseconds(200)) == "200ms");
  CHECK(FormatDuration(milliseconds(1500)) == "1.5s");
  CHECK(FormatDuration(seconds(30)) == "30s");
  CHECK(FormatDuration(seconds(3723)) == "1h2m3s");
  for (Duration d : {Duration(1), Duration(milliseconds(1500)), Duration(seconds(3723))}) {
    CHECK(ParseDuration(FormatDuration(d)).value() == d);
  }
}

TEST_CASE("crash signals are named with or without SIG or by number") {
  CHECK(ParseCrashSignal("SIGKILL").value() == SIGKILL);
  CHECK(ParseCrashSignal("kill").value() == SIGKILL);
  CHECK(ParseCrashSignal("9").value() == SIGKILL);
  CHECK(ParseCrashSignal("SEGV").value() == SIGSEGV);
  CHECK(ParseCrashSignal("SIGRTMIN").ok() == false);
  CHECK(ParseCrashSignal("STOP").error().find("does not end a process") != std::string::npos);
  CHECK(ParseCrashSignal("0").error().starts_with("no signal has number 0"));
  CHECK(SignalName(SIGSEGV) == "SIGSEGV");
  CHECK(SignalName(SIGABRT) == "SIGABRT");
}

}  // namespace
}  // namespace ptsim::worker
