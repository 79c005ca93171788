// The human summary printed at the end of a run: each job's condition history
// (repeats collapsed as Kubernetes aggregates events: `Restarting=True ...
// (x12 over 5m)`; the JSON keeps every transition) and the pod table with
// kubectl's columns (NAME READY STATUS RESTARTS AGE, then EXIT and DELETED;
// pod_rows.hpp). Pure functions of the JSON report (docs/report.md).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace ptsim {

// Kubernetes' duration.HumanDuration ("5s", "2m10s", "3h", "2d5h").
std::string HumanDuration(Duration d);
std::string PodTable(const nlohmann::json& report);
std::string ConditionHistoryText(const nlohmann::json& report);
// A `jobs` entry's kind; "PyTorchJob" in reports written before jobs had one.
std::string JobKindField(const nlohmann::json& job);

// Condition changes folded the way the timeline and the summary show them: a
// change whose type, status and reason equal one of the two groups before it
// (a flap between two conditions, or one repeated) joins that group.
struct ConditionGroup {
  nlohmann::json first;  // the first change of the group (conditionHistory entry)
  int count = 1;
  double last_time = 0;
  std::string last_message;
};
std::vector<ConditionGroup> FoldConditionHistory(const nlohmann::json& history);
// " (x12 over 5m)", or "" for a group of one.
std::string RepeatSuffix(int count, double first_time, double last_time);

}  // namespace ptsim
