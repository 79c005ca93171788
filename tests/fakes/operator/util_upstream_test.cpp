// The upstream unit tests of the helpers the PyTorchJob controller relies on
// (training-operator v1.9.0;
// docs/upstream/training-operator.md#upstream-tests): pkg/util/status_test.go,
// pkg/util/train/train_util_test.go and pkg/common/util/util_test.go, against
// the ptsim functions of the same names.
#include <catch2/catch.hpp>

#include "fakes/operator/job_conditions.hpp"
#include "fakes/operator/job_naming.hpp"
#include "fakes/operator/job_policies.hpp"

namespace ptsim {
namespace {

JobStatus WithCondition(const std::string& type) {
  JobStatus s;
  s.conditions.push_back({type, "True", "", "", kRunStart, kRunStart});
  return s;
}

// ---------------------------------------------------------------------------
// pkg/util/status_test.go

TEST_CASE("upstream TestIsFinished: Succeeded job") {
  CHECK(IsFinished(WithCondition("Succeeded")));
}

TEST_CASE("upstream TestIsFinished: Failed job") {
  CHECK(IsFinished(WithCondition("Failed")));
}

TEST_CASE("upstream TestIsFinished: Suspended job") {
  CHECK_FALSE(IsFinished(WithCondition("Suspended")));
}

TEST_CASE("upstream TestIsSucceeded: a Succeeded condition that is True") {
  CHECK(IsSucceeded(WithCondition("Succeeded")));
}

TEST_CASE("upstream TestIsFailed: a Failed condition that is True") {
  CHECK(IsFailed(WithCondition("Failed")));
}

TEST_CASE("upstream TestIsRunning: a Running condition that is True") {
  CHECK(IsRunning(WithCondition("Running")));
}

TEST_CASE("upstream TestIsSuspended: a Suspended condition that is True") {
  CHECK(IsSuspended(WithCondition("Suspended")));
}

TEST_CASE(
    "upstream TestUpdateJobConditions: Running and Restarting replace each other and Failed "
    "turns Running False") {
  JobStatus s;
  const Time now = kRunStart;
  UpdateJobConditions(&s, "Created", "True", "Job Created", "Job Created", now);
  REQUIRE(s.conditions.size() == 1);
  CHECK(s.conditions[0].type == "Created");
  CHECK(s.conditions[0].reason == "Job Created");
  CHECK(s.conditions[0].message == "Job Created");

  UpdateJobConditions(&s, "Running", "True", "Job Running", "Job Running", now);
  REQUIRE(s.conditions.size() == 2);
  CHECK(s.conditions[1].type == "Running");
  CHECK(s.conditions[1].reason == "Job Running");
  CHECK(s.conditions[1].message == "Job Running");

  // Running is filtered out and Restarting appended.
  UpdateJobConditions(&s, "Restarting", "True", "Job Restarting", "Job Restarting", now);
  REQUIRE(s.conditions.size() == 2);
  CHECK(s.conditions[1].type == "Restarting");
  CHECK(s.conditions[1].reason == "Job Restarting");
  CHECK(s.conditions[1].message == "Job Restarting");

  // Restarting is filtered out and Running appended.
  UpdateJobConditions(&s, "Running", "True", "Job Running", "Job Running", now);
  REQUIRE(s.conditions.size() == 2);
  CHECK(s.conditions[1].type == "Running");
  CHECK(s.conditions[1].reason == "Job Running");
  CHECK(s.conditions[1].message == "Job Running");

  // Running turns False in place and Failed is appended.
  UpdateJobConditions(&s, "Failed", "True", "Job Failed", "Job Failed", now);
  REQUIRE(s.conditions.size() == 3);
  CHECK(s.conditions[1].type == "Running");
  CHECK(s.conditions[1].status == "False");
  CHECK(s.conditions[2].type == "Failed");
  CHECK(s.conditions[2].reason == "Job Failed");
  CHECK(s.conditions[2].message == "Job Failed");
}

// ---------------------------------------------------------------------------
// pkg/util/train/train_util_test.go

TEST_CASE("upstream TestIsRetryableExitCode: 1, 2 and 3 are permanent, 130 and 138 retryable") {
  CHECK_FALSE(IsRetryableExitCode(1));
  CHECK_FALSE(IsRetryableExitCode(2));
  CHECK_FALSE(IsRetryableExitCode(3));
  CHECK(IsRetryableExitCode(130));
  CHECK(IsRetryableExitCode(138));
}

TEST_CASE("upstream TestIsJobSuspended: runPolicy is nil") {
  CHECK_FALSE(IsJobSuspended(nullptr));
}

TEST_CASE("upstream TestIsJobSuspended: suspend is nil") {
  RunPolicy p;
  CHECK_FALSE(IsJobSuspended(&p));
}

TEST_CASE("upstream TestIsJobSuspended: suspend is false") {
  RunPolicy p;
  p.suspend = false;
  CHECK_FALSE(IsJobSuspended(&p));
}

TEST_CASE("upstream TestIsJobSuspended: suspend is true") {
  RunPolicy p;
  p.suspend = true;
  CHECK(IsJobSuspended(&p));
}

// ---------------------------------------------------------------------------
// pkg/common/util/util_test.go TestDurationUntilExpireTime. Upstream compares
// leniently (a got above a non-negative want passes), because its clock moves;
// in virtual time the exact value is known, and is checked too.

const Time kNow = kRunStart + Seconds(1000);

RunPolicy Ttl(std::optional<std::int32_t> ttl) {
  RunPolicy p;
  p.ttl_seconds_after_finished = ttl;
  return p;
}

JobStatus Finished(const std::string& type, std::optional<Time> completion) {
  JobStatus s = WithCondition(type);
  s.completion_time = completion;
  return s;
}

void CheckLenient(std::optional<Duration> got, Duration want) {
  REQUIRE(got);
  if (*got != want) CHECK((want >= Duration{0} && want <= *got));
}

TEST_CASE("upstream TestDurationUntilExpireTime: running job") {
  auto got = DurationUntilExpireTime(RunPolicy{}, WithCondition("Running"), kNow);
  REQUIRE(got);
  CHECK(*got == Duration{-1});
}

TEST_CASE("upstream TestDurationUntilExpireTime: succeeded job with remaining time 1s") {
  auto got = DurationUntilExpireTime(Ttl(5), Finished("Succeeded", kNow + Seconds(4)), kNow);
  CheckLenient(got, Seconds(1));
  CHECK(*got == Seconds(9));  // completion + ttl - now
}

TEST_CASE("upstream TestDurationUntilExpireTime: failed job with remaining time 1s") {
  auto got = DurationUntilExpireTime(Ttl(5), Finished("Failed", kNow + Seconds(4)), kNow);
  CheckLenient(got, Seconds(1));
  CHECK(*got == Seconds(9));
}

TEST_CASE("upstream TestDurationUntilExpireTime: succeeded job with infinite TTL") {
  auto got =
      DurationUntilExpireTime(Ttl(std::nullopt), Finished("Succeeded", kNow + Seconds(4)), kNow);
  REQUIRE(got);
  CHECK(*got == Duration{-1});
}

TEST_CASE("upstream TestDurationUntilExpireTime: succeeded job without remaining time") {
  auto got = DurationUntilExpireTime(Ttl(5), Finished("Succeeded", kNow + Seconds(6)), kNow);
  CheckLenient(got, Duration{0});
  CHECK(*got == Seconds(11));
  // What the case's name means: the expiry has passed.
  auto expired = DurationUntilExpireTime(Ttl(5), Finished("Succeeded", kNow - Seconds(6)), kNow);
  REQUIRE(expired);
  CHECK(*expired == Duration{0});
}

TEST_CASE("upstream TestDurationUntilExpireTime: succeeded job with nil completion time error") {
  CHECK_FALSE(DurationUntilExpireTime(Ttl(5), Finished("Succeeded", std::nullopt), kNow));
}

}  // namespace
}  // namespace ptsim
