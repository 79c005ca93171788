// The job-level expectation kinds (finalCondition, conditions,
// neverCondition, jobDeleted) on a report fixture: how each decodes (and
// refuses bad input), when it passes, and what it shows when it fails.
#include <catch2/catch.hpp>

#include "tests/harness/expectation_fixture.hpp"

namespace ptsim::testing {
namespace {

using Catch::Contains;
using nlohmann::json;

TEST_CASE("finalCondition matches the job's last condition and its message") {
  TempDir dir;
  const json report = JobReport(dir);
  auto r = Check(
      "finalCondition: {type: Succeeded, reason: PyTorchJobSucceeded, message: 'successfully'}",
      report);
  CHECK(r.passed);
  CHECK(r.description ==
        "the job ends with condition Succeeded (PyTorchJobSucceeded) and a message matching "
        "/successfully/");
  r = Check("finalCondition: {type: Failed}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "Failed");
  CHECK(r.actual ==
        "Succeeded=True (PyTorchJobSucceeded), message \"PyTorchJob job is successfully "
        "completed.\"");
  CHECK_FALSE(Check("finalCondition: {type: Succeeded, message: 'failed'}", report).passed);
  CHECK(Check("finalCondition: {type: Succeeded}", json::object()).actual == "no conditions");
  CHECK_THAT(DecodeOne("finalCondition: {type: Finished}").errors,
             Contains("expect[0].finalCondition.type: unknown condition type \"Finished\""));
  CHECK_THAT(DecodeOne("finalCondition: {type: Succeeded, message: '(a)\\1'}").errors,
             Contains("finalCondition.message: bad regular expression"));
}

TEST_CASE("conditions match the job's condition history in order with gaps") {
  TempDir dir;
  const json report = JobReport(dir);
  auto r = Check(
      "conditions: [Created, Restarting=True, {type: Succeeded, after: 39s, before: 41s}]", report);
  CHECK(r.passed);
  CHECK(r.expected == json::array({"Created", "Restarting", "Succeeded between 39s and 41s"}));
  r = Check("conditions: [Succeeded, Created]", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual.size() == 4);
  CHECK(r.actual[2] == "Restarting=True (PyTorchJobRestarting)");
  CHECK_FALSE(Check("conditions: [{type: Running, before: 0.5s}]", report).passed);
  CHECK_THAT(DecodeOne("conditions: []").errors, Contains("expected a non-empty list"));
  CHECK_THAT(DecodeOne("conditions: [Created, Running=Maybe]").errors,
             Contains("expect[0].conditions[1]: condition status must be True, False or Unknown"));
}

TEST_CASE("neverCondition fails with every matching transition and its time") {
  TempDir dir;
  const json report = JobReport(dir);
  auto r = Check("neverCondition: Failed", report);
  CHECK(r.passed);
  CHECK(r.actual == "never");
  r = Check("neverCondition: {type: Restarting, after: 10s}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == json::array({"Restarting=True (PyTorchJobRestarting) at 20.000s"}));
  CHECK(Check("neverCondition: {type: Restarting, after: 30s}", report).passed);
  CHECK_THAT(DecodeOne("neverCondition: Bogus").errors,
             Contains("unknown condition type \"Bogus\""));
}

TEST_CASE("jobDeleted checks when the job was deleted, and false that it was not") {
  TempDir dir;
  const json report = JobReport(dir);
  auto r = Check("jobDeleted: {after: 70s, before: 71s}", report);
  CHECK(r.passed);
  CHECK(r.description == "the job is deleted between 1m10s and 1m11s");
  CHECK(Check("jobDeleted: true", report).passed);
  r = Check("jobDeleted: {before: 1m}", report);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "deleted at 70.000s");
  r = Check("jobDeleted: false", report);
  CHECK_FALSE(r.passed);
  CHECK(r.description == "the job is not deleted");
  json kept = report;
  kept["jobs"][0]["deletedAt"] = nullptr;
  CHECK(Check("jobDeleted: false", kept).passed);
  CHECK(Check("jobDeleted: true", kept).actual == "not deleted");
  CHECK_THAT(DecodeOne("jobDeleted: maybe").errors, Contains("expect[0].jobDeleted"));
}

TEST_CASE("job-level kinds name their job, which must be in the plan") {
  TempDir dir;
  const json report = JobReport(dir);
  auto r = Check("finalCondition: {type: Succeeded}\njob: job", report);
  CHECK(r.passed);
  CHECK(r.description == "the job job ends with condition Succeeded");
  CHECK(Check("finalCondition: {type: Succeeded}\njob: other", report).actual == "no conditions");
  CHECK(ReferenceErrors("conditions: [Created]\njob: job", JobPlanFacts()) == "");
  CHECK_THAT(ReferenceErrors("neverCondition: Failed\njob: other", JobPlanFacts()),
             Contains("expectation \"the job other never has condition Failed\": job: no "
                      "PyTorchJob named \"other\" in this run; jobs: job"));
  CHECK_THAT(ReferenceErrors("jobDeleted: true", PlanFacts{}),
             Contains("this run has no PyTorchJob"));
  CHECK_THAT(DecodeOne("podPhase: {pod: p, phase: Running}\njob: job").errors,
             Contains("`job` is for finalCondition, conditions, neverCondition and jobDeleted, "
                      "not podPhase"));
}

}  // namespace
}  // namespace ptsim::testing
