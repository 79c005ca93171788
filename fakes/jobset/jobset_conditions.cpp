#include "fakes/jobset/jobset_conditions.hpp"

namespace ptsim {
namespace {

bool ExclusiveConditions(const std::string& a, const std::string& b) {
  return (a == kJobSetStartupPolicyInProgress && b == kJobSetStartupPolicyCompleted) ||
         (a == kJobSetStartupPolicyCompleted && b == kJobSetStartupPolicyInProgress);
}

}  // namespace

bool UpdateJobSetCondition(JobSet* js, JobSetCondition cond, Time now) {
  bool found = false;
  bool changed = false;
  cond.last_transition_time = now;
  for (auto& curr : js->status.conditions) {
    if (cond.type == curr.type) {
      if (cond.status != curr.status) {
        curr = cond;
        changed = true;
      } else if (cond.reason != curr.reason || cond.message != curr.message) {
        cond.last_transition_time = curr.last_transition_time;
        curr = cond;
        changed = true;
      }
      found = true;
    } else if (ExclusiveConditions(curr.type, cond.type) && curr.status == "True" &&
               cond.status == "True") {
      curr.status = "False";
      changed = true;
    }
  }
  if (!found && cond.status == "True") {
    js->status.conditions.push_back(cond);
    changed = true;
  }
  return changed;
}

void SetJobSetCondition(JobSet* js, JobSetCondition cond, const std::string& event_type, Time now,
                        StatusUpdate* update) {
  const std::string reason = cond.reason;
  const std::string message = cond.message;
  if (!UpdateJobSetCondition(js, std::move(cond), now)) return;
  update->should_update = true;
  update->events.push_back({event_type, reason, message});
}

void SetRestartingFalse(JobSet* js, const std::string& reason, const std::string& message, Time now,
                        StatusUpdate* update) {
  SetJobSetCondition(js, {kJobSetRestarting, "False", reason, message, {}}, "Normal", now, update);
}

void SetJobSetCompleted(JobSet* js, Time now, StatusUpdate* update) {
  SetJobSetCondition(
      js, {kJobSetCompleted, "True", "AllJobsCompleted", "jobset completed successfully", {}},
      "Normal", now, update);
  SetRestartingFalse(js, "JobSetCompleted", "jobset completed successfully", now, update);
  js->status.terminal_state = kJobSetCompleted;
}

void SetJobSetFailed(JobSet* js, const std::string& reason, const std::string& message, Time now,
                     StatusUpdate* update) {
  SetJobSetCondition(js, {kJobSetFailed, "True", reason, message, {}}, "Warning", now, update);
  SetRestartingFalse(js, "JobSetFailed", "jobset failed", now, update);
  js->status.terminal_state = kJobSetFailed;
}

void SetJobSetSuspended(JobSet* js, Time now, StatusUpdate* update) {
  SetJobSetCondition(js, {kJobSetSuspended, "True", "SuspendedJobs", "jobset is suspended", {}},
                     "Normal", now, update);
  SetRestartingFalse(js, "JobSetSuspended", "jobset is suspended", now, update);
}

void SetJobSetResumed(JobSet* js, Time now, StatusUpdate* update) {
  SetJobSetCondition(js, {kJobSetSuspended, "False", "ResumeJobs", "jobset is resumed", {}},
                     "Normal", now, update);
}

void SetInOrderStartupInProgress(JobSet* js, Time now, StatusUpdate* update) {
  SetJobSetCondition(js,
                     {kJobSetStartupPolicyInProgress,
                      "True",
                      "InOrderStartupPolicyInProgress",
                      "in order startup policy is in progress",
                      {}},
                     "Normal", now, update);
}

void SetInOrderStartupCompleted(JobSet* js, Time now, StatusUpdate* update) {
  SetJobSetCondition(js,
                     {kJobSetStartupPolicyCompleted,
                      "True",
                      "InOrderStartupPolicyCompleted",
                      "in order startup policy has completed",
                      {}},
                     "Normal", now, update);
}

bool JobSetFinished(const JobSet& js) {
  for (const auto& c : js.status.conditions) {
    if ((c.type == kJobSetCompleted || c.type == kJobSetFailed) && c.status == "True") return true;
  }
  return false;
}

const JobSetCondition* FindJobSetCondition(const JobSet& js, const std::string& type) {
  for (const auto& c : js.status.conditions)
    if (c.type == type) return &c;
  return nullptr;
}

}  // namespace ptsim
