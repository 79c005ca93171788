// Ports of the upstream unit tests of pkg/controller/job: backoff_utils_test.go
// (TestNewBackoffRecord, TestGetRemainingBackoffTime), pod_failure_policy_test.go
// (TestMatchPodFailurePolicy), success_policy_test.go (TestMatchSuccessPolicy)
// and indexed_job_utils_test.go (TestFirstPendingIndexes), with their case names.
#include <catch2/catch.hpp>

#include "fakes/job/backoff.hpp"
#include "fakes/job/indexed_job_utils.hpp"
#include "fakes/job/pod_failure_policy.hpp"
#include "fakes/job/success_policy.hpp"

namespace ptsim {
namespace {

const Time kT = kRunStart + std::chrono::hours(1);

Pod FinishedPod(const std::string& phase, Time finished) {
  Pod p;
  p.status.phase = phase;
  ContainerStatus s;
  ContainerStateTerminated t;
  t.finished_at = finished;
  s.state.terminated = t;
  p.status.container_statuses.push_back(s);
  return p;
}

BackoffRecord Record(std::vector<Duration> succeeded, std::vector<Duration> failed,
                     BackoffRecord stored = {}) {
  std::vector<Pod> s, f;
  for (auto d : succeeded)
    s.push_back(FinishedPod("Succeeded", kT + d));
  for (auto d : failed)
    f.push_back(FinishedPod("Failed", kT + d));
  std::vector<const Pod*> sp, fp;
  for (auto& p : s)
    sp.push_back(&p);
  for (auto& p : f)
    fp.push_back(&p);
  return NewBackoffRecord(stored, sp, fp);
}

using std::chrono::milliseconds;

TEST_CASE("TestNewBackoffRecord") {
  SECTION("Empty backoff store and one new failure") {
    CHECK(Record({}, {Duration{0}}) == BackoffRecord{1, kT});
  }
  SECTION("Empty backoff store and two new failures") {
    CHECK(Record({}, {Duration{0}, -milliseconds(1)}) == BackoffRecord{2, kT});
  }
  SECTION("Empty backoff store, two failures followed by success") {
    CHECK(Record({Duration{0}}, {-milliseconds(2), -milliseconds(1)}) == BackoffRecord{0, {}});
  }
  SECTION("Empty backoff store, two failures, one success and two more failures") {
    CHECK(Record({-milliseconds(2)}, {Duration{0}, -milliseconds(4), -milliseconds(3),
                                      -milliseconds(1)}) == BackoffRecord{2, kT});
  }
  SECTION("Backoff store having failure count 2 and one new failure") {
    CHECK(Record({}, {Duration{0}}, BackoffRecord{2, std::nullopt}) == BackoffRecord{3, kT});
  }
  SECTION("Empty backoff store with success and failure at same timestamp") {
    CHECK(Record({Duration{0}}, {Duration{0}}) == BackoffRecord{0, {}});
  }
  SECTION("Empty backoff store with no success/failure") {
    CHECK(Record({}, {}) == BackoffRecord{0, {}});
  }
  SECTION("Empty backoff store with one success") {
    CHECK(Record({Duration{0}}, {}) == BackoffRecord{0, {}});
  }
}

TEST_CASE("TestGetRemainingBackoffTime") {
  const Duration d5 = std::chrono::seconds(5), max = std::chrono::seconds(700);
  auto remaining = [&](std::int32_t failures, Duration since) {
    return ToSeconds(RemainingBackoff(failures, kT, kT + since, d5, max));
  };
  CHECK(ToSeconds(RemainingBackoff(0, std::nullopt, kT, d5, max)) == 0);  // no failures
  CHECK(remaining(1, Duration{0}) == 5);  // current time and failure time are same
  CHECK(remaining(1, std::chrono::seconds(1)) == 4);
  CHECK(remaining(1, std::chrono::seconds(5)) == 0);  // current time == expected backoff time
  CHECK(remaining(1, std::chrono::seconds(6)) == 0);
  CHECK(remaining(3, Duration{0}) == 20);   // three failures
  CHECK(remaining(8, Duration{0}) == 640);  // eight failures, not exceeding maxBackoff
  CHECK(remaining(9, Duration{0}) == 700);  // nine failures, exceeding maxBackoff
}

TEST_CASE("the default pod failure backoff is 10s doubling to a 10 minute cap") {
  CHECK(ToSeconds(RemainingBackoff(1, kT, kT)) == 10);
  CHECK(ToSeconds(RemainingBackoff(2, kT, kT)) == 20);
  CHECK(ToSeconds(RemainingBackoff(6, kT, kT)) == 320);
  CHECK(ToSeconds(RemainingBackoff(7, kT, kT)) == 600);
  CHECK(ToSeconds(RemainingBackoff(20, kT, kT)) == 600);
}

TEST_CASE("TestGetFinishedTime falls back to deletion minus grace, then creation") {
  Pod p;
  p.status.container_statuses.push_back(ContainerStatus{});
  p.status.container_statuses[0].state.running = ContainerStateRunning{};
  p.metadata.deletion_timestamp = kT;
  p.metadata.deletion_grace_period_seconds = 30;
  CHECK(GetFinishedTime(p) == kT - std::chrono::seconds(30));
  p.metadata.deletion_timestamp.reset();
  p.metadata.creation_timestamp = kT;
  CHECK(GetFinishedTime(p) == kT);
}

// A failed pod "mypod" in "default" with one container per (name, exit code).
Pod FailedPod(std::vector<std::pair<std::string, int>> containers,
              std::vector<std::pair<std::string, int>> init = {}) {
  Pod p;
  p.metadata.name = "mypod";
  p.metadata.namespace_ = "default";
  p.status.phase = "Failed";
  auto add = [](std::vector<ContainerStatus>* list, const std::string& name, int code) {
    ContainerStatus s;
    s.name = name;
    ContainerStateTerminated t;
    t.exit_code = code;
    s.state.terminated = t;
    list->push_back(s);
  };
  for (auto& [n, c] : containers)
    add(&p.status.container_statuses, n, c);
  for (auto& [n, c] : init)
    add(&p.status.init_container_statuses, n, c);
  return p;
}

PodFailurePolicyRule ExitRule(const std::string& action, const std::string& op,
                              std::vector<std::int32_t> values,
                              std::optional<std::string> container = std::nullopt) {
  PodFailurePolicyRule r;
  r.action = action;
  r.on_exit_codes.emplace();
  r.on_exit_codes->operator_ = op;
  r.on_exit_codes->values = std::move(values);
  r.on_exit_codes->container_name = std::move(container);
  return r;
}

PodFailurePolicyRule ConditionRule(const std::string& action, const std::string& type,
                                   const std::string& status = "True") {
  PodFailurePolicyRule r;
  r.action = action;
  r.on_pod_conditions.push_back(PodFailurePolicyOnPodConditionsPattern{type, status});
  return r;
}

TEST_CASE("TestMatchPodFailurePolicy") {
  PodFailurePolicy policy;
  SECTION("unknown action for rule matching by exit codes - skip rule with unknown action") {
    policy.rules = {ExitRule("UnknownAction", "In", {1, 2}), ExitRule("FailJob", "In", {2, 3})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 2}}));
    CHECK(m.job_failure_message ==
          "Container main-container for pod default/mypod failed with exit code 2 matching "
          "FailJob rule at index 1");
    CHECK(m.action == "FailJob");
  }
  SECTION("ignore rule matched for exit codes") {
    policy.rules = {ExitRule("Ignore", "In", {1, 2, 3})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 2}}));
    CHECK_FALSE(m.job_failure_message);
    CHECK_FALSE(m.count_failed);
    CHECK(m.action == "Ignore");
  }
  SECTION("FailJob rule matched for exit codes") {
    policy.rules = {ExitRule("FailJob", "In", {1, 2, 3})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 2}}));
    CHECK(m.job_failure_message ==
          "Container main-container for pod default/mypod failed with exit code 2 matching "
          "FailJob rule at index 0");
  }
  SECTION("successful containers are skipped by the rules") {
    policy.rules = {ExitRule("FailJob", "NotIn", {111})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 0}}));
    CHECK_FALSE(m.job_failure_message);
    CHECK(m.count_failed);
    CHECK_FALSE(m.action);
  }
  SECTION("FailJob rule matched for exit codes; init container") {
    policy.rules = {ExitRule("FailJob", "In", {1, 2, 3})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({}, {{"init-container", 1}}));
    CHECK(m.job_failure_message ==
          "Container init-container for pod default/mypod failed with exit code 1 matching "
          "FailJob rule at index 0");
  }
  SECTION("FailJob rule matched for exit codes; container name does not match") {
    policy.rules = {ExitRule("FailJob", "In", {1, 2, 3}, "other")};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 2}}));
    CHECK_FALSE(m.job_failure_message);
    CHECK(m.count_failed);
  }
  SECTION("default handling for a failed pod when the only rule does not match (NotIn)") {
    policy.rules = {ExitRule("FailJob", "NotIn", {1, 2, 3})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 2}}));
    CHECK_FALSE(m.job_failure_message);
    CHECK(m.count_failed);
  }
  SECTION("FailJob rule matched for NotIn operator") {
    policy.rules = {ExitRule("FailJob", "NotIn", {1, 2, 3})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 4}}));
    CHECK(m.job_failure_message ==
          "Container main-container for pod default/mypod failed with exit code 4 matching "
          "FailJob rule at index 0");
  }
  SECTION("count rule matched for exit codes") {
    policy.rules = {ExitRule("Count", "In", {1, 2, 3})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 2}}));
    CHECK(m.count_failed);
    CHECK(m.action == "Count");
  }
  SECTION("FailIndex rule matched for exit codes") {
    policy.rules = {ExitRule("FailIndex", "In", {1, 2, 3})};
    auto m = MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 2}}));
    CHECK(m.count_failed);
    CHECK(m.action == "FailIndex");
  }
  SECTION("ignore rule matched for pod conditions") {
    policy.rules = {ConditionRule("Ignore", "DisruptionTarget")};
    Pod pod = FailedPod({{"main-container", 137}});
    pod.status.conditions.push_back(PodCondition{"DisruptionTarget", "True", "", "", {}});
    auto m = MatchPodFailurePolicy(&policy, pod);
    CHECK_FALSE(m.count_failed);
  }
  SECTION("FailJob rule matched for pod conditions") {
    policy.rules = {ConditionRule("FailJob", "DisruptionTarget")};
    Pod pod = FailedPod({{"main-container", 137}});
    pod.status.conditions.push_back(PodCondition{"DisruptionTarget", "True", "", "", {}});
    auto m = MatchPodFailurePolicy(&policy, pod);
    CHECK(m.job_failure_message ==
          "Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0");
  }
  SECTION("no match for a pod condition with another status") {
    policy.rules = {ConditionRule("FailJob", "DisruptionTarget", "False")};
    Pod pod = FailedPod({{"main-container", 137}});
    pod.status.conditions.push_back(PodCondition{"DisruptionTarget", "True", "", "", {}});
    CHECK_FALSE(MatchPodFailurePolicy(&policy, pod).job_failure_message);
  }
  SECTION("the first matching rule wins") {
    policy.rules = {ExitRule("Ignore", "In", {42}), ExitRule("FailJob", "In", {42})};
    CHECK_FALSE(MatchPodFailurePolicy(&policy, FailedPod({{"main-container", 42}})).count_failed);
  }
}

OrderedIntervals Intervals(const std::string& text, std::int32_t completions) {
  std::string error;
  auto out = ParseIndexes(text, completions, &error);
  REQUIRE(error.empty());
  return out;
}

SuccessPolicy Policy(std::optional<std::string> indexes, std::optional<std::int32_t> count) {
  SuccessPolicy p;
  SuccessPolicyRule r;
  r.succeeded_indexes = std::move(indexes);
  r.succeeded_count = count;
  p.rules.push_back(r);
  return p;
}

TEST_CASE("TestMatchSuccessPolicy") {
  SECTION("successPolicy is null") {
    CHECK_FALSE(MatchSuccessPolicy(nullptr, 10, Intervals("0-2", 10)));
  }
  SECTION("any indexes are succeeded") {
    auto p = Policy("0-2", std::nullopt);
    CHECK_FALSE(MatchSuccessPolicy(&p, 10, {}));
  }
  SECTION("rules.succeededIndexes matched all succeeded indexes") {
    auto p = Policy("0-2", std::nullopt);
    CHECK(MatchSuccessPolicy(&p, 10, Intervals("0-2,4", 10)) == "Matched rules at index 0");
  }
  SECTION("rules.succeededIndexes is not matched with succeeded indexes") {
    auto p = Policy("0-2", std::nullopt);
    CHECK_FALSE(MatchSuccessPolicy(&p, 10, Intervals("0,2", 10)));
  }
  SECTION("rules.succeededCount is matched") {
    auto p = Policy(std::nullopt, 2);
    CHECK(MatchSuccessPolicy(&p, 10, Intervals("3,7", 10)) == "Matched rules at index 0");
  }
  SECTION("rules.succeededIndexes and rules.succeededCount are matched") {
    auto p = Policy("0-4", 2);
    CHECK(MatchSuccessPolicy(&p, 10, Intervals("1,3,8", 10)) == "Matched rules at index 0");
  }
  SECTION("rules.succeededIndexes and rules.succeededCount are not matched") {
    auto p = Policy("0-4", 3);
    CHECK_FALSE(MatchSuccessPolicy(&p, 10, Intervals("1,3,8", 10)));
  }
  SECTION("the second rule matches") {
    SuccessPolicy p = Policy("5", std::nullopt);
    p.rules.push_back(Policy(std::nullopt, 1).rules[0]);
    CHECK(MatchSuccessPolicy(&p, 10, Intervals("1", 10)) == "Matched rules at index 1");
  }
}

TEST_CASE("TestFirstPendingIndexes") {
  SECTION("cnt greater than completions") {
    CHECK(FirstPendingIndexes({}, 5, 3) == std::vector<std::int32_t>{0, 1, 2});
  }
  SECTION("cnt less than completions") {
    CHECK(FirstPendingIndexes({}, 2, 5) == std::vector<std::int32_t>{0, 1});
  }
  SECTION("first pods active") {
    CHECK(FirstPendingIndexes({0, 1}, 3, 10) == std::vector<std::int32_t>{2, 3, 4});
  }
  SECTION("last pods active or succeeded") {
    CHECK(FirstPendingIndexes({4, 5}, 3, 6) == std::vector<std::int32_t>{0, 1, 2});
  }
  SECTION("mixed") {
    CHECK(FirstPendingIndexes({1, 2, 3, 5, 7, 8}, 5, 10) == std::vector<std::int32_t>{0, 4, 6, 9});
  }
}

TEST_CASE("pod generateNames with an index are cut to 58 characters keeping the index") {
  CHECK(PodGenerateNameWithIndex("pi", 3) == "pi-3-");
  const std::string long_name(60, 'a');
  const std::string cut = PodGenerateNameWithIndex(long_name, 12);
  CHECK(cut.size() == 58);
  CHECK(cut.substr(cut.size() - 4) == "-12-");
  CHECK(PodGenerateName(long_name).size() == 58);
}

}  // namespace
}  // namespace ptsim
