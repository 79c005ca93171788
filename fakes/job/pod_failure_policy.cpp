#include "fakes/job/pod_failure_policy.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ptsim {
namespace {

bool OperatorMatches(std::int32_t exit_code, const PodFailurePolicyOnExitCodesRequirement& req) {
  const bool in = std::find(req.values.begin(), req.values.end(), exit_code) != req.values.end();
  if (req.operator_ == "In") return in;
  if (req.operator_ == "NotIn") return !in;
  return false;
}

const ContainerStatus* MatchingContainer(const std::vector<ContainerStatus>& statuses,
                                         const PodFailurePolicyOnExitCodesRequirement& req) {
  for (const auto& s : statuses) {
    // A container still terminating has no exit code to match.
    if (!s.state.terminated) continue;
    if (req.container_name && *req.container_name != s.name) continue;
    if (s.state.terminated->exit_code != 0 && OperatorMatches(s.state.terminated->exit_code, req)) {
      return &s;
    }
  }
  return nullptr;
}

const PodCondition* MatchingCondition(
    const PodStatus& status, const std::vector<PodFailurePolicyOnPodConditionsPattern>& p) {
  for (const auto& c : status.conditions) {
    for (const auto& pattern : p) {
      if (c.type == pattern.type && c.status == pattern.status) return &c;
    }
  }
  return nullptr;
}

}  // namespace

PodFailurePolicyMatch MatchPodFailurePolicy(const PodFailurePolicy* policy, const Pod& pod) {
  PodFailurePolicyMatch out;
  if (!policy) return out;
  for (std::size_t i = 0; i < policy->rules.size(); ++i) {
    const PodFailurePolicyRule& rule = policy->rules[i];
    std::string failjob_message;
    if (rule.on_exit_codes) {
      const ContainerStatus* s =
          MatchingContainer(pod.status.container_statuses, *rule.on_exit_codes);
      if (!s) s = MatchingContainer(pod.status.init_container_statuses, *rule.on_exit_codes);
      if (!s) continue;
      failjob_message = fmt::format(
          "Container {} for pod {}/{} failed with exit code {} matching {} rule at index {}",
          s->name, pod.metadata.namespace_, pod.metadata.name, s->state.terminated->exit_code,
          rule.action, i);
    } else if (!rule.on_pod_conditions.empty()) {
      const PodCondition* c = MatchingCondition(pod.status, rule.on_pod_conditions);
      if (!c) continue;
      failjob_message =
          fmt::format("Pod {}/{} has condition {} matching {} rule at index {}",
                      pod.metadata.namespace_, pod.metadata.name, c->type, rule.action, i);
    } else {
      continue;
    }
    if (rule.action == "Ignore") {
      out.count_failed = false;
      out.action = rule.action;
      return out;
    }
    if (rule.action == "FailIndex" || rule.action == "Count") {
      out.action = rule.action;
      return out;
    }
    if (rule.action == "FailJob") {
      out.action = rule.action;
      out.job_failure_message = failjob_message;
      return out;
    }
    // An unknown action (validation refuses it) falls through to the next rule.
  }
  return out;
}

}  // namespace ptsim
