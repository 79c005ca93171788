// The expectation kinds about pods, their containers and events
// (restartCount, podsExist/podsDeleted/servicesExist/servicesDeleted, env,
// podPhase, termination, log, event) on a report fixture: decoding and its
// errors, pass, and want vs got on failure.
#include <catch2/catch.hpp>

#include "tests/harness/expectation_fixture.hpp"

namespace ptsim::testing {
namespace {

using Catch::Contains;
using nlohmann::json;

TEST_CASE("restartCount counts the newest pod of each name, by pod or replica type") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("restartCount: {pod: job-master-0, container: pytorch, equals: 1}", report).passed);
  auto r = Check("restartCount: {replicaType: Worker, min: 1}", report);
  CHECK_FALSE(r.passed);  // the recreated worker-0 starts again at 0
  CHECK(r.expected == ">= 1");
  CHECK(r.actual == 0);
  CHECK(r.description == "total restartCount of Worker pods >= 1");
  CHECK_THAT(DecodeOne("restartCount: {pod: job-master-0}").errors,
             Contains("expect[0].restartCount: give equals, min or max"));
  CHECK_THAT(DecodeOne("restartCount: {pod: a, replicaType: Worker, max: 1}").errors,
             Contains("give either pod or replicaType"));
  CHECK_THAT(ReferenceErrors("restartCount: {replicaType: Chief, equals: 0}", JobPlanFacts()),
             Contains("the job has no Chief replicas"));
}

TEST_CASE(
    "podsExist, podsDeleted, servicesExist and servicesDeleted look at every object of a "
    "name") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("podsExist: [job-master-0, job-worker-0]", report).passed);
  CHECK(Check("servicesDeleted: [job-master-0]", report).passed);
  auto r = Check("podsDeleted: [job-worker-0, job-worker-1]", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == json({{"job-worker-0", "exists"}, {"job-worker-1", "never created"}}));
  CHECK(r.description == "pods were deleted: job-worker-0, job-worker-1");
  r = Check("servicesExist: [job-master-0]", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == json({{"job-master-0", "deleted"}}));
  CHECK_THAT(DecodeOne("podsExist: job-master-0").errors,
             Contains("expect[0].podsExist: expected a list"));
  CHECK_THAT(ReferenceErrors("servicesExist: [job-worker-7]", JobPlanFacts()),
             Contains("no pod named \"job-worker-7\" can exist in this run; pods: job-master-0, "
                      "job-worker-0"));
}

TEST_CASE("env reads what the process saw, or with declared what the pod spec says") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("env: {pod: job-master-0, name: WORLD_SIZE, value: '2'}", report).passed);
  CHECK(
      Check("env: {pod: job-master-0, name: FOO, declared: true, value: declared}", report).passed);
  CHECK(Check("env: {pod: job-master-0, name: WORLD_SIZE, declared: true}", report).passed);
  auto r =
      Check("env: {pod: job-master-0, container: pytorch, name: WORLD_SIZE, value: '3'}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "3");
  CHECK(r.actual == "2");
  CHECK(r.description == "WORLD_SIZE of job-master-0/pytorch is (as the process saw it) \"3\"");
  CHECK_THAT(DecodeOne("env: {pod: job-master-0}").errors,
             Contains("expect[0].env.name: Required value"));
}

TEST_CASE("podPhase is the phase of the newest pod of the name") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("podPhase: {pod: job-worker-0, phase: Running}", report).passed);
  auto r = Check("podPhase: {pod: job-worker-0, phase: Failed}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "Running");
  CHECK(Check("podPhase: {pod: job-worker-1, phase: Failed}", report).actual == "no such pod");
  CHECK_THAT(DecodeOne("podPhase: {pod: p}").errors,
             Contains("expect[0].podPhase.phase: Required value"));
}

TEST_CASE("termination looks at the last run unless given an attempt") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("termination: {pod: job-master-0, attempt: 0, exitCode: 137, signal: 9}", report)
            .passed);
  CHECK(Check("termination: {pod: job-master-0, attempt: any, reason: Error}", report).passed);
  auto r = Check("termination: {pod: job-master-0, reason: Error}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == json::array({"run 1: reason Completed, exit code 0, signal 0"}));
  CHECK(r.description == "the last run of job-master-0 ended with reason Error");
  CHECK(Check("termination: {pod: job-master-0, attempt: 5, exitCode: 1}", report).actual ==
        "no such attempt");
  CHECK(Check("termination: {pod: job-master-0, container: x, exitCode: 1}", report).actual ==
        "no such container");
  CHECK_THAT(DecodeOne("termination: {pod: job-master-0}").errors,
             Contains("give reason, exitCode or signal"));
  CHECK_THAT(DecodeOne("termination: {pod: job-master-0, attempt: -1, signal: 9}").errors,
             Contains("attempt is a restartCount (0 for the first run), `last` or `any`"));
}

TEST_CASE("log counts matching lines of the kept log files of the selected runs") {
  TempDir dir;
  const json report = JobReport(dir);
  auto r = Check("log: {pod: job-master-0, matches: step, equals: 4}", report);
  CHECK(r.passed);  // two in run 0; one rotated and one current in run 1
  CHECK(r.actual.size() == 4);
  CHECK(Check("log: {pod: job-master-0, attempt: 1, matches: '^resumed'}", report).passed);
  r = Check("log: {pod: job-master-0, attempt: 0, matches: resumed}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "no matching line");
  CHECK_FALSE(Check("log: {pod: job-master-0, matches: step, max: 3}", report).passed);
  CHECK_THAT(DecodeOne("log: {pod: job-master-0}").errors,
             Contains("give matches: a regular expression"));
}

TEST_CASE("event adds up the counts of events with the reason, object and message") {
  TempDir dir;
  const json report = JobReport(dir);
  CHECK(Check("event: {reason: BackOff, object: Pod/job-master-0, equals: 3}", report).passed);
  CHECK(Check("event: {reason: ExitedWithCode, message: 'code 1$'}", report).passed);
  auto r = Check("event: {reason: BackOff, message: never}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == json::array({"Pod/job-master-0 BackOff: Back-off restarting"}));
  CHECK(Check("event: {reason: Nope}", report).actual == "no such event");
  CHECK_THAT(DecodeOne("event: {object: Pod/p}").errors,
             Contains("expect[0].event.reason: Required value"));
}

}  // namespace
}  // namespace ptsim::testing
