#include "fakes/job/job_conditions.hpp"

namespace ptsim {

BatchJobCondition NewJobCondition(const std::string& type, const std::string& status,
                                  const std::string& reason, const std::string& message, Time now) {
  return BatchJobCondition{type, status, reason, message, now, now};
}

const BatchJobCondition* FindJobCondition(const std::vector<BatchJobCondition>& list,
                                          const std::string& type) {
  for (const auto& c : list) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

bool IsJobConditionTrue(const std::vector<BatchJobCondition>& list, const std::string& type) {
  const BatchJobCondition* c = FindJobCondition(list, type);
  return c && c->status == "True";
}

bool EnsureJobConditionStatus(std::vector<BatchJobCondition>* list, const std::string& type,
                              const std::string& status, const std::string& reason,
                              const std::string& message, Time now) {
  for (auto& c : *list) {
    if (c.type != type) continue;
    if (c.status != status || c.reason != reason || c.message != message) {
      c = NewJobCondition(type, status, reason, message, now);
      return true;
    }
    return false;
  }
  if (status == "False") return false;
  list->push_back(NewJobCondition(type, status, reason, message, now));
  return true;
}

bool IsJobFinished(const BatchJobStatus& status) {
  return IsJobConditionTrue(status.conditions, "Complete") ||
         IsJobConditionTrue(status.conditions, "Failed");
}

}  // namespace ptsim
