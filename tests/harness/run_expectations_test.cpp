// The expectation kinds about the run as a whole (duration, outcome, note,
// fault, file, report, flytePhase, flyte) on a report fixture: decoding and
// its errors, pass, and want vs got on failure.
#include <catch2/catch.hpp>

#include "tests/harness/expectation_fixture.hpp"

namespace ptsim::testing {
namespace {

using Catch::Contains;
using nlohmann::json;

TEST_CASE("duration bounds the run's virtual time") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("duration: {min: 70s, max: 71s}", report).passed);
  auto r = Check("duration: {max: 1m}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "before 1m");
  CHECK(r.actual == "70.500s");
  CHECK_THAT(DecodeOne("duration: {min: 5}").errors, Contains("expect[0].duration.min"));
}

TEST_CASE("outcome compares how the run ended and judges a timeout itself") {
  TempDir dir;
  const json report = JobReport(dir);
  const DecodedExpectation d = DecodeOne("outcome: timedOut");
  REQUIRE(d.spec.expectation);
  CHECK(d.spec.expectation->JudgesOutcome());
  CHECK_FALSE(DecodeOne("podPhase: {pod: p, phase: Running}").spec.expectation->JudgesOutcome());
  CHECK(Check("outcome: completed", report).passed);
  auto r = Check("outcome: timedOut", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "completed");
  CHECK_THAT(DecodeOne("outcome: done").errors, Contains("outcome is completed or timedOut"));
}

TEST_CASE("note searches the notes' text and the issues they cite") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("note: '#1709'", report).passed);
  auto r = Check("note: 'trainer#3358'", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == json::array({"a known upstream bug"}));
  CHECK_THAT(DecodeOne("note: '(a)\\1'").errors,
             Contains("expect[0].note: bad regular expression"));
}

TEST_CASE("an empty note pattern is an error, not a crash at the end of the run") {
  CHECK_THAT(DecodeOne("note: ''").errors, Contains("expect[0].note: give a regular expression"));
  CHECK_THAT(DecodeOne("note:").errors, Contains("expect[0].note: give a regular expression"));
}

TEST_CASE("fault counts how often the named fault fired") {
  TempDir dir;
  const json report = JobReport(dir);
  auto r = Check("fault: {name: kill-master, fired: 1}", report);
  CHECK(r.passed);
  CHECK(r.actual == json::array({"at 5.000s on [\"job-master-0/pytorch\"]"}));
  r = Check("fault: {name: never}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "never fired");
  CHECK(r.description == "fault \"never\" fired, count >= 1");
  CHECK_FALSE(Check("fault: {name: kill-master, min: 2}", report).passed);
  CHECK_THAT(DecodeOne("fault: {fired: 1}").errors, Contains("expect[0].fault.name: Required"));
  CHECK_THAT(ReferenceErrors("fault: {name: nope}", JobPlanFacts()),
             Contains("no fault named \"nope\"; faults: kill-master, never"));
}

TEST_CASE("file looks under the run directory") {
  TempDir dir;
  const json report = JobReport(dir);
  auto r = Check("file: {path: result.txt, matches: '^done$'}", report);
  CHECK(r.passed);
  CHECK(r.actual == "done");
  CHECK(Check("file: {path: missing.txt, exists: false}", report).passed);
  r = Check("file: {path: result.txt, exists: false}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "exists");
  CHECK(Check("file: {path: result.txt, matches: failed}", report).actual == "no matching line");
  CHECK_THAT(DecodeOne("file: {path: /etc/passwd}").errors,
             Contains("give a path relative to the run directory"));
}

TEST_CASE("report reads a value of the report by JSON pointer") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("report: {path: /virtualSeconds, min: 70, max: 71}", report).passed);
  CHECK(Check("report: {path: /pods/0/containers/0/restartCount, equals: 1.0}", report).passed);
  CHECK(Check("report: {path: /flyte, exists: false}", report).passed);
  auto r = Check("report: {path: /outcome, matches: '^timed'}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "completed");
  CHECK(r.description == "report /outcome matches /^timed/");
  CHECK(Check("report: {path: /nothing, equals: 1}", report).actual == "absent");
  CHECK_FALSE(Check("report: {path: /outcome, min: 1}", report).passed);
  CHECK_THAT(DecodeOne("report: {path: /job}").errors,
             Contains("give equals, matches, min, max or exists"));
  CHECK_THAT(DecodeOne("report: {path: job, exists: true}").errors,
             Contains("\"job\" is not a JSON pointer"));
}

TEST_CASE("flytePhase and flyte read the report's flyte object") {
  TempDir dir;
  json report = JobReport(dir);
  auto r = Check("flytePhase: Success", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "not a Flyte task");
  report["flyte"] = {{"phase", "Success"}, {"attempts", json::array({{{"attempt", 0}}})}};
  CHECK(Check("flytePhase: Success", report).passed);
  CHECK(Check("flyte: {phase: Success, attempts: 1}", report).passed);
  r = Check("flyte: {phase: PermanentFailure}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == json({{"phase", "Success"}}));
  CHECK_THAT(DecodeOne("flyte: {}").errors, Contains("give phase, attempts"));
  CHECK_THAT(ReferenceErrors("flytePhase: Success", JobPlanFacts()),
             Contains("this run has no Flyte task"));
  PlanFacts flyte;
  flyte.flyte = true;
  CHECK(ReferenceErrors("flyte: {phase: Success}", flyte) == "");
}

}  // namespace
}  // namespace ptsim::testing
