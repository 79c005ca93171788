#include "fakes/trainer/trainjob_status.hpp"

#include <algorithm>
#include <chrono>

namespace ptsim {

const JobSetCondition* FindCondition(const TrainJobStatus& status, const std::string& type) {
  for (const JobSetCondition& c : status.conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

bool IsConditionTrue(const TrainJobStatus& status, const std::string& type) {
  const JobSetCondition* c = FindCondition(status, type);
  return c != nullptr && c->status == "True";
}

bool IsTrainJobFinished(const TrainJobStatus& status) {
  return IsConditionTrue(status, kTrainJobComplete) || IsConditionTrue(status, kTrainJobFailed);
}

void SetCondition(TrainJobStatus* status, JobSetCondition condition, Time now) {
  for (JobSetCondition& c : status->conditions) {
    if (c.type != condition.type) continue;
    if (c.status != condition.status) {
      c.status = condition.status;
      c.last_transition_time =
          condition.last_transition_time == Time{} ? now : condition.last_transition_time;
    }
    c.reason = condition.reason;
    c.message = condition.message;
    return;
  }
  if (condition.last_transition_time == Time{}) condition.last_transition_time = now;
  status->conditions.push_back(std::move(condition));
}

void RemoveNonDeadlineFailed(TrainJobStatus* status) {
  auto& cs = status->conditions;
  cs.erase(std::remove_if(cs.begin(), cs.end(),
                          [](const JobSetCondition& c) {
                            return c.type == kTrainJobFailed && c.reason != kDeadlineExceededReason;
                          }),
           cs.end());
}

void UpdateSuspendedCondition(const TrainJob& trainjob, TrainJobStatus* status, Time now) {
  if (trainjob.spec.suspend.value_or(false)) {
    SetCondition(status, {kTrainJobSuspended, "True", "Suspended", "TrainJob is suspended", {}},
                 now);
  } else if (FindCondition(*status, kTrainJobSuspended) != nullptr) {
    SetCondition(status, {kTrainJobSuspended, "False", "Resumed", "TrainJob is resumed", {}}, now);
  }
}

void CopyJobSetStatus(const JobSet* jobset, TrainJobStatus* status) {
  if (jobset == nullptr) return;
  status->jobs_status = jobset->status.replicated_jobs_status;
  for (const JobSetCondition& c : jobset->status.conditions) {
    if (c.status != "True") continue;
    std::string type;
    if (c.type == "Completed") type = kTrainJobComplete;
    if (c.type == "Failed") type = kTrainJobFailed;
    if (type.empty()) continue;
    JobSetCondition copy = c;
    copy.type = type;
    SetCondition(status, copy, c.last_transition_time);
  }
}

std::optional<Time> DeadlineOf(const TrainJob& trainjob) {
  if (!trainjob.spec.active_deadline_seconds || trainjob.spec.suspend.value_or(false)) {
    return std::nullopt;
  }
  Time start = trainjob.metadata.creation_timestamp;
  if (const JobSetCondition* s = FindCondition(trainjob.status, kTrainJobSuspended);
      s != nullptr && s->status == "False") {
    start = s->last_transition_time;
  }
  return start + std::chrono::seconds(*trainjob.spec.active_deadline_seconds);
}

}  // namespace ptsim
