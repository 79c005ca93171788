#include "fakes/operator/job_conditions.hpp"

#include <vector>

namespace ptsim {

bool HasCondition(const JobStatus& status, const std::string& type) {
  for (const auto& c : status.conditions) {
    if (c.type == type && c.status == "True") return true;
  }
  return false;
}

void UpdateJobConditions(JobStatus* status, const std::string& type,
                         const std::string& condition_status, const std::string& reason,
                         const std::string& message, Time now) {
  JobCondition next{type, condition_status, reason, message, now, now};
  // setCondition: the list is frozen once the job has failed.
  if (IsFailed(*status)) return;
  const JobCondition* current = nullptr;
  for (const auto& c : status->conditions) {
    if (c.type == type) {
      current = &c;
      break;
    }
  }
  if (current && current->status == next.status && current->reason == next.reason) return;
  if (current && current->status == next.status) {
    next.last_transition_time = current->last_transition_time;
  }
  // filterOutCondition
  std::vector<JobCondition> kept;
  for (const auto& c : status->conditions) {
    if (c.type == type) continue;
    if (type == "Restarting" && c.type == "Running") continue;
    if (type == "Running" && c.type == "Restarting") continue;
    JobCondition copy = c;
    if ((type == "Failed" || type == "Succeeded") && copy.type == "Running") copy.status = "False";
    kept.push_back(std::move(copy));
  }
  kept.push_back(std::move(next));
  status->conditions = std::move(kept);
}

}  // namespace ptsim
