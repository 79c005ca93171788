// Job condition bookkeeping exactly as training-operator pkg/util/status.go
// (UpdateJobConditions, setCondition, filterOutCondition) and the predicates
// IsSucceeded/IsFailed/IsRunning/IsSuspended/IsFinished
// (docs/upstream/training-operator.md#condition-bookkeeping):
//  - once Failed=True exists the list is frozen;
//  - same type, status and reason: no change (the first message wins);
//  - same status, other reason: lastTransitionTime is kept;
//  - Restarting removes Running and Running removes Restarting;
//  - Succeeded or Failed turn an existing Running to False in place;
//  - a changed condition moves to the end of the list.
#pragma once

#include <string>

#include "sim/model/pytorchjob.hpp"

namespace ptsim {

void UpdateJobConditions(JobStatus* status, const std::string& type,
                         const std::string& condition_status, const std::string& reason,
                         const std::string& message, Time now);

bool HasCondition(const JobStatus& status, const std::string& type);  // status True
inline bool IsSucceeded(const JobStatus& s) {
  return HasCondition(s, "Succeeded");
}
inline bool IsFailed(const JobStatus& s) {
  return HasCondition(s, "Failed");
}
inline bool IsRunning(const JobStatus& s) {
  return HasCondition(s, "Running");
}
inline bool IsSuspended(const JobStatus& s) {
  return HasCondition(s, "Suspended");
}
inline bool IsFinished(const JobStatus& s) {
  return IsSucceeded(s) || IsFailed(s);
}

// "PyTorchJob" + reason, as commonutil.NewReason.
inline std::string JobReason(const std::string& reason) {
  return "PyTorchJob" + reason;
}

}  // namespace ptsim
