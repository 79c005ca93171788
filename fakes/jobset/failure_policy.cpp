#include "fakes/jobset/failure_policy.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/model/user_regex.hpp"

namespace ptsim {
namespace {

bool AnyMatchFound(const std::vector<std::string>& patterns, const std::string& message) {
  for (const auto& pattern : patterns) {
    std::string error;
    const auto re = CompileUserRegex(pattern, &error);
    if (!re) continue;  // upstream logs the bad pattern and goes on
    if (re->Search(message)) return true;
  }
  return false;
}

// failurePolicyRecreateAll: restarts++ (and the count towards max), the
// RestartingJobSet=True condition (and its event), then the action's event.
void RecreateAll(JobSet* js, bool count_towards_max, const FailurePolicyRule* rule,
                 const std::string& event_reason, const std::string& message, Time now,
                 StatusUpdate* update) {
  js->status.restarts += 1;
  if (count_towards_max) js->status.restarts_count_towards_max += 1;
  update->should_update = true;
  const std::string reason =
      rule ? fmt::format("FailurePolicy_{}", rule->name) : std::string("DefaultFailurePolicy");
  SetJobSetCondition(js, {kJobSetRestarting, "True", reason, message, {}}, "Warning", now, update);
  update->events.push_back({"Warning", event_reason, message});
}

}  // namespace

bool FailurePolicyRuleIsApplicable(const FailurePolicyRule& rule, const BatchJob& failed_job,
                                   const std::string& reason, const std::string& message) {
  const auto& reasons = rule.on_job_failure_reasons;
  if (!reasons.empty() && std::find(reasons.begin(), reasons.end(), reason) == reasons.end())
    return false;
  if (!rule.on_job_failure_message_patterns.empty() &&
      !AnyMatchFound(rule.on_job_failure_message_patterns, message))
    return false;
  const auto it = failed_job.metadata.labels.find(kReplicatedJobNameKey);
  if (it == failed_job.metadata.labels.end() || it->second.empty()) return false;
  const auto& targets = rule.target_replicated_jobs;
  return targets.empty() || std::find(targets.begin(), targets.end(), it->second) != targets.end();
}

RuleAndJob FindFirstFailedPolicyRuleAndJob(const std::vector<FailurePolicyRule>& rules,
                                           const std::vector<BatchJobPtr>& failed) {
  for (const auto& rule : rules) {
    BatchJobPtr matched;
    Time matched_time{};
    for (const auto& job : failed) {
      const auto* cond = FindJobFailureCondition(*job);
      if (!cond) continue;
      const bool earlier = !matched || cond->last_transition_time < matched_time;
      if (FailurePolicyRuleIsApplicable(rule, *job, cond->reason, cond->message) && earlier) {
        matched = job;
        matched_time = cond->last_transition_time;
      }
    }
    if (matched) return {&rule, matched};
  }
  return {};
}

std::string ApplyFailurePolicyRuleAction(JobSet* js, const BatchJob& job,
                                         const FailurePolicyRule* rule, const std::string& action,
                                         Time now, StatusUpdate* update) {
  const std::string& name = job.metadata.name;
  if (action == "FailJobSet") {
    SetJobSetFailed(js, "FailJobSetFailurePolicyAction",
                    MessageWithFirstFailedJob("applying FailJobSet failure policy action", name),
                    now, update);
    return "";
  }
  if (action == "RestartJobSet") {
    const std::int32_t max_restarts =
        js->spec.failure_policy ? js->spec.failure_policy->max_restarts.value_or(0) : 0;
    if (js->status.restarts_count_towards_max >= max_restarts) {
      SetJobSetFailed(
          js, "ReachedMaxRestarts",
          MessageWithFirstFailedJob("jobset failed due to reaching max number of restarts", name),
          now, update);
      return "";
    }
    RecreateAll(js, true, rule, "RestartJobSetFailurePolicyAction",
                MessageWithFirstFailedJob("applying RestartJobSet failure policy action", name),
                now, update);
    return "";
  }
  if (action == "RestartJobSetAndIgnoreMaxRestarts") {
    RecreateAll(js, false, rule, "RestartJobSetAndIgnoreMaxRestartsFailurePolicyAction",
                MessageWithFirstFailedJob(
                    "applying RestartJobSetAndIgnoreMaxRestarts failure policy action", name),
                now, update);
    return "";
  }
  if (action == "RestartJob" || action == "RestartJobAndIgnoreMaxRestarts") {
    return fmt::format(
        "{} failure policy action cannot be used when the feature gate RestartJob is disabled",
        action);
  }
  return fmt::format("failed to find a corresponding action for the FailurePolicyRuleAction {}",
                     action);
}

std::string ExecuteFailurePolicy(JobSet* js, const std::vector<BatchJobPtr>& failed, Time now,
                                 StatusUpdate* update) {
  if (!js->spec.failure_policy) {
    const auto first = FindFirstFailedJob(failed);
    SetJobSetFailed(js, "FailedJobs",
                    MessageWithFirstFailedJob("jobset failed due to one or more job failures",
                                              first ? first->metadata.name : ""),
                    now, update);
    return "";
  }
  // The rules are copied: applying an action may not touch them, but the
  // returned pointer must not dangle if it did.
  const std::vector<FailurePolicyRule> rules = js->spec.failure_policy->rules;
  auto [rule, job] = FindFirstFailedPolicyRuleAndJob(rules, failed);
  std::string action = "RestartJobSet";
  if (rule) {
    action = rule->action;
  } else {
    job = FindFirstFailedJob(failed);
  }
  if (!job) return "no failed job has a Failed condition";
  return ApplyFailurePolicyRuleAction(js, *job, rule, action, now, update);
}

}  // namespace ptsim
