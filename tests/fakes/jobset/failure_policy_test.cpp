// The failure policy (fakes/jobset/failure_policy): ports of
// TestFailurePolicyRuleIsApplicable, TestFindFirstFailedPolicyRuleAndJob,
// TestApplyFailurePolicyRuleAction and TestFindFirstFailedJob
// (pkg/controllers/failure_policy_test.go @v0.12.0), with upstream's names.
#include <catch2/catch.hpp>

#include "fakes/jobset/failure_policy.hpp"
#include "tests/fakes/jobset/jobset_test_support.hpp"

namespace ptsim {
namespace {

using testing::Finished;
using testing::MakeJob;
using testing::MakeJobSet;

Time Hours(int h) {
  return Time{} + std::chrono::hours(100 + h);
}

struct Applicable {
  const char* name;
  FailurePolicyRule rule;
  std::string rjob;
  std::string reason;
  std::string message;
  bool expected;
};

TEST_CASE("TestFailurePolicyRuleIsApplicable") {
  const std::string rj1 = "test-replicated-job-1";
  const std::string rj2 = "test-replicated-job-2";
  const std::string r1 = "BackoffLimitExceeded";
  const std::string r2 = "DeadlineExceeded";
  const std::vector<Applicable> cases = {
      {"matches all parent replicated jobs and all reasons", {}, rj1, r1, "", true},
      {"matches all parent replicated jobs and the reason",
       {"", "", {r1}, {}, {}},
       rj1,
       r1,
       "",
       true},
      {"matches all parent replicated jobs, not the reason",
       {"", "", {r1}, {}, {}},
       rj1,
       r2,
       "",
       false},
      {"matches the parent replicatedJob and all reasons",
       {"", "", {}, {}, {rj1}},
       rj1,
       r1,
       "",
       true},
      {"matches the parent replicatedJob and the reason",
       {"", "", {r1}, {}, {rj1}},
       rj1,
       r1,
       "",
       true},
      {"matches the parent replicatedJob, not the reason",
       {"", "", {r1}, {}, {rj1}},
       rj1,
       r2,
       "",
       false},
      {"not the parent replicatedJob, all reasons", {"", "", {}, {}, {rj1}}, rj2, r1, "", false},
      {"not the parent replicatedJob, the reason", {"", "", {r1}, {}, {rj1}}, rj2, r1, "", false},
      {"neither", {"", "", {r1}, {}, {rj1}}, rj2, r2, "", false},
      {"matches the job failure message pattern",
       {"", "", {}, {"^job failed because.*"}, {}},
       rj1,
       "",
       "job failed because of a bug",
       true},
      {"does not match the job failure message pattern",
       {"", "", {}, {"^job failed because.*"}, {}},
       rj1,
       "",
       "another error message",
       false},
      {"matches both the job failure reason and message pattern",
       {"", "", {r1}, {".*bug.*"}, {}},
       rj1,
       r1,
       "job failed because of a bug",
       true},
      {"matches the job failure reason but not the message pattern",
       {"", "", {r1}, {".*bug.*"}, {}},
       rj1,
       r1,
       "job failed due to something else",
       false},
      // ptsim: a pattern that does not compile is skipped, the next one is tried.
      {"a bad pattern is skipped", {"", "", {}, {"(", "bug"}, {}}, rj1, "", "a bug", true},
      {"a job without a replicated job label never matches", {}, "", r1, "", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(FailurePolicyRuleIsApplicable(c.rule, MakeJob("test-job", c.rjob), c.reason, c.message) ==
          c.expected);
  }
}

TEST_CASE("TestFindFirstFailedJob") {
  CHECK(FindFirstFailedJob({}) == nullptr);
  const auto a = Finished(MakeJob("a", "rj"), "Failed", Hours(-1));
  const auto b = Finished(MakeJob("b", "rj"), "Failed", Hours(-3));
  const auto c = Finished(MakeJob("c", "rj"), "Complete", Hours(-5));
  CHECK(FindFirstFailedJob({a}) == a);
  CHECK(FindFirstFailedJob({a, b}) == b);
  CHECK(FindFirstFailedJob({c}) == nullptr);  // jobs without a failed condition
}

TEST_CASE("TestFindFirstFailedPolicyRuleAndJob") {
  const std::string rj = "test-replicatedJob";
  const auto job1 = Finished(MakeJob("job1", rj), "Failed", Hours(-6), "BackoffLimitExceeded");
  const auto job1_dup =
      Finished(MakeJob("job1DupEarlierFailure", rj), "Failed", Hours(-12), "BackoffLimitExceeded");
  const auto job2 = Finished(MakeJob("job2", rj), "Failed", Hours(-3), "DeadlineExceeded");
  const auto job3 = Finished(MakeJob("job3", rj), "Failed", Hours(-1), "FailedIndexes");
  const FailurePolicyRule rule1{"", "RestartJobSet", {"BackoffLimitExceeded"}, {}, {}};
  const FailurePolicyRule rule2{"", "RestartJobSet", {"DeadlineExceeded"}, {}, {}};
  const FailurePolicyRule rule3{"", "RestartJobSet", {"FailedIndexes"}, {}, {}};
  const FailurePolicyRule unmatched{"", "RestartJobSet", {}, {}, {"fakeReplicatedJobName"}};

  auto check = [](const std::vector<FailurePolicyRule>& rules,
                  const std::vector<BatchJobPtr>& failed, int rule_index, BatchJobPtr job) {
    const auto got = FindFirstFailedPolicyRuleAndJob(rules, failed);
    if (rule_index < 0) {
      CHECK(got.rule == nullptr);
    } else {
      CHECK(got.rule == &rules[static_cast<std::size_t>(rule_index)]);
    }
    CHECK(got.job == job);
  };
  SECTION("0 failed jobs, 0 rules") {
    check({}, {}, -1, nullptr);
  }
  SECTION("1 failed job, 0 rules") {
    check({}, {job1}, -1, nullptr);
  }
  SECTION("1 failed job, 1 rule not matching") {
    check({rule2}, {job1}, -1, nullptr);
  }
  SECTION("1 failed job, matches the first of 3 rules") {
    check({rule1, rule2, rule3}, {job1}, 0, job1);
  }
  SECTION("1 failed job, matches the second of 3 rules") {
    check({rule1, rule2, rule3}, {job2}, 1, job2);
  }
  SECTION("1 failed job, matches the third of 3 rules") {
    check({rule1, rule2, rule3}, {job3}, 2, job3);
  }
  SECTION("2 failed jobs, 0 rules") {
    check({}, {job1, job2}, -1, nullptr);
  }
  SECTION("2 failed jobs, the rule matches neither") {
    check({rule2}, {job1, job1_dup}, -1, nullptr);
  }
  SECTION("2 failed jobs, the rule matches both: the earlier failure") {
    check({rule1}, {job1, job1_dup}, 0, job1_dup);
  }
  SECTION("2 failed jobs, the second rule matches both: the earlier failure") {
    check({unmatched, rule1}, {job1, job1_dup}, 1, job1_dup);
  }
}

JobSet WithPolicy(std::int32_t max_restarts, std::int32_t restarts, std::int32_t towards_max) {
  JobSet js = MakeJobSet("test-js", "default");
  js.spec.failure_policy = FailurePolicy{max_restarts, "Recreate", {}};
  js.status.restarts = restarts;
  js.status.restarts_count_towards_max = towards_max;
  return js;
}

TEST_CASE("TestApplyFailurePolicyRuleAction/FailJobSet action") {
  JobSet js = WithPolicy(0, 0, 0);
  StatusUpdate update;
  const auto job = Finished(MakeJob("failed-job", "rjob"), "Failed", Hours(0));
  CHECK(ApplyFailurePolicyRuleAction(&js, *job, nullptr, "FailJobSet", Hours(1), &update).empty());
  CHECK(js.status.terminal_state == "Failed");
  REQUIRE(js.status.conditions.size() == 1);
  CHECK(js.status.conditions[0].type == "Failed");
  CHECK(js.status.conditions[0].reason == "FailJobSetFailurePolicyAction");
  CHECK(js.status.conditions[0].message ==
        "applying FailJobSet failure policy action (first failed job: failed-job)");
  CHECK(update.should_update);
  CHECK(update.events == std::vector<JobSetEvent>{{"Warning", "FailJobSetFailurePolicyAction",
                                                   "applying FailJobSet failure policy action "
                                                   "(first failed job: failed-job)"}});
}

TEST_CASE(
    "TestApplyFailurePolicyRuleAction/RestartJobSet when restarts < maxRestarts increments "
    "restarts count and counts towards max") {
  JobSet js = WithPolicy(5, 1, 1);
  StatusUpdate update;
  const auto job = Finished(MakeJob("failed-job", "rjob"), "Failed", Hours(0));
  CHECK(
      ApplyFailurePolicyRuleAction(&js, *job, nullptr, "RestartJobSet", Hours(1), &update).empty());
  CHECK(js.status.restarts == 2);
  CHECK(js.status.restarts_count_towards_max == 2);
  REQUIRE(js.status.conditions.size() == 1);
  CHECK(js.status.conditions[0].type == "RestartingJobSet");
  CHECK(js.status.conditions[0].status == "True");
  CHECK(js.status.conditions[0].reason == "DefaultFailurePolicy");
  const std::string msg =
      "applying RestartJobSet failure policy action (first failed job: failed-job)";
  // Two Warning events: the condition's, then the action's.
  CHECK(update.events ==
        std::vector<JobSetEvent>{{"Warning", "DefaultFailurePolicy", msg},
                                 {"Warning", "RestartJobSetFailurePolicyAction", msg}});
}

TEST_CASE(
    "TestApplyFailurePolicyRuleAction/RestartJobSet when restarts < maxRestarts with "
    "matching rule sets FailurePolicy_{RuleName} reason") {
  JobSet js = WithPolicy(5, 1, 1);
  StatusUpdate update;
  const FailurePolicyRule rule{"Rule1", "RestartJobSet", {}, {}, {}};
  const auto job = Finished(MakeJob("failed-job", "rjob"), "Failed", Hours(0));
  ApplyFailurePolicyRuleAction(&js, *job, &rule, "RestartJobSet", Hours(1), &update);
  REQUIRE(js.status.conditions.size() == 1);
  CHECK(js.status.conditions[0].reason == "FailurePolicy_Rule1");
}

TEST_CASE(
    "TestApplyFailurePolicyRuleAction/RestartJobSet action when restarts >= maxRestarts "
    "fails the jobset") {
  JobSet js = WithPolicy(2, 2, 2);
  StatusUpdate update;
  const auto job = Finished(MakeJob("failed-job", "rjob"), "Failed", Hours(0));
  ApplyFailurePolicyRuleAction(&js, *job, nullptr, "RestartJobSet", Hours(1), &update);
  CHECK(js.status.restarts == 2);
  CHECK(js.status.terminal_state == "Failed");
  REQUIRE(js.status.conditions.size() == 1);
  CHECK(js.status.conditions[0].reason == "ReachedMaxRestarts");
  CHECK(js.status.conditions[0].message ==
        "jobset failed due to reaching max number of restarts (first failed job: failed-job)");
}

TEST_CASE(
    "TestApplyFailurePolicyRuleAction/RestartJobSetAndIgnoreMaxRestarts action does not "
    "count toward max restarts") {
  JobSet js = WithPolicy(1, 1, 1);
  StatusUpdate update;
  const auto job = Finished(MakeJob("failed-job", "rjob"), "Failed", Hours(0));
  ApplyFailurePolicyRuleAction(&js, *job, nullptr, "RestartJobSetAndIgnoreMaxRestarts", Hours(1),
                               &update);
  CHECK(js.status.restarts == 2);
  CHECK(js.status.restarts_count_towards_max == 1);
  REQUIRE(update.events.size() == 2);
  CHECK(update.events[1].reason == "RestartJobSetAndIgnoreMaxRestartsFailurePolicyAction");
}

TEST_CASE("TestApplyFailurePolicyRuleAction/RestartJob is an error with the gate off") {
  JobSet js = WithPolicy(1, 0, 0);
  StatusUpdate update;
  const auto job = Finished(MakeJob("failed-job", "rjob"), "Failed", Hours(0));
  CHECK(ApplyFailurePolicyRuleAction(&js, *job, nullptr, "RestartJob", Hours(1), &update) ==
        "RestartJob failure policy action cannot be used when the feature gate RestartJob is "
        "disabled");
  CHECK_FALSE(update.should_update);
}

TEST_CASE(
    "executeFailurePolicy: no failurePolicy fails with FailedJobs, an empty one with "
    "ReachedMaxRestarts") {
  const auto early = Finished(MakeJob("js-a-1", "a"), "Failed", Hours(-2));
  const auto late = Finished(MakeJob("js-a-0", "a"), "Failed", Hours(-1));
  JobSet none = MakeJobSet("js", "default");
  StatusUpdate u1;
  CHECK(ExecuteFailurePolicy(&none, {late, early}, Hours(0), &u1).empty());
  REQUIRE(!none.status.conditions.empty());
  CHECK(none.status.conditions[0].reason == "FailedJobs");
  CHECK(none.status.conditions[0].message ==
        "jobset failed due to one or more job failures (first failed job: js-a-1)");

  JobSet empty = MakeJobSet("js", "default");
  empty.spec.failure_policy = FailurePolicy{};
  StatusUpdate u2;
  CHECK(ExecuteFailurePolicy(&empty, {late, early}, Hours(0), &u2).empty());
  CHECK(empty.status.conditions[0].reason == "ReachedMaxRestarts");
  CHECK(empty.status.restarts == 0);
}

TEST_CASE("executeFailurePolicy: the first matching rule wins, no match restarts") {
  const auto oom = Finished(MakeJob("js-w-0", "workers"), "Failed", Hours(-1), "PodFailurePolicy",
                            "Container x exited with 137");
  JobSet js = MakeJobSet("js", "default");
  js.spec.failure_policy = FailurePolicy{3, "Recreate", {}};
  js.spec.failure_policy->rules = {{"leaderFails", "FailJobSet", {}, {}, {"leader"}},
                                   {"oom", "RestartJobSetAndIgnoreMaxRestarts", {}, {"137"}, {}}};
  StatusUpdate u;
  ExecuteFailurePolicy(&js, {oom}, Hours(0), &u);
  CHECK(js.status.restarts == 1);
  CHECK(js.status.restarts_count_towards_max == 0);
  CHECK(js.status.conditions[0].reason == "FailurePolicy_oom");

  JobSet other = js;
  other.status = {};
  other.spec.failure_policy->rules.pop_back();
  StatusUpdate u2;
  ExecuteFailurePolicy(&other, {oom}, Hours(0), &u2);
  CHECK(other.status.restarts_count_towards_max == 1);
  CHECK(other.status.conditions[0].reason == "DefaultFailurePolicy");
}

}  // namespace
}  // namespace ptsim
