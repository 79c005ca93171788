// A JobSet's status conditions and the events that go with them
// (pkg/controllers/jobset_controller.go @v0.12.0: updateCondition,
// setCondition and the set*Condition helpers). A reconcile collects its
// status changes and events in a StatusUpdate; the controller writes the
// status once and records the events only after the write succeeds. Pure
// functions on a JobSet the caller owns; any thread.
#pragma once

#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

// Condition types (api/jobset/v1alpha2/jobset_types.go).
inline constexpr const char* kJobSetCompleted = "Completed";
inline constexpr const char* kJobSetFailed = "Failed";
inline constexpr const char* kJobSetSuspended = "Suspended";
inline constexpr const char* kJobSetRestarting = "RestartingJobSet";
inline constexpr const char* kJobSetStartupPolicyInProgress = "StartupPolicyInProgress";
inline constexpr const char* kJobSetStartupPolicyCompleted = "StartupPolicyCompleted";

// An event the controller records against the JobSet after the status write.
struct JobSetEvent {
  std::string type;  // Normal, Warning
  std::string reason;
  std::string message;
  bool operator==(const JobSetEvent&) const = default;
};

// statusUpdateOpts: whether the status must be written, and the events then.
struct StatusUpdate {
  bool should_update = false;
  std::vector<JobSetEvent> events;
};

// updateCondition: sets `cond` (stamped `now`) on the JobSet; returns whether
// anything changed. Same type and status: only a new reason or message is
// written, keeping the transition time. A False condition is added only if
// its type exists already. StartupPolicyInProgress and ...Completed exclude
// each other: setting one True turns the other False.
bool UpdateJobSetCondition(JobSet* js, JobSetCondition cond, Time now);

// setCondition: UpdateJobSetCondition and, when it changed, an event of
// `event_type` with the condition's reason and message.
void SetJobSetCondition(JobSet* js, JobSetCondition cond, const std::string& event_type, Time now,
                        StatusUpdate* update);

// The helpers of jobset_controller.go, failure_policy.go and startup_policy.go.
void SetJobSetCompleted(JobSet* js, Time now, StatusUpdate* update);
void SetJobSetFailed(JobSet* js, const std::string& reason, const std::string& message, Time now,
                     StatusUpdate* update);
void SetJobSetSuspended(JobSet* js, Time now, StatusUpdate* update);
void SetJobSetResumed(JobSet* js, Time now, StatusUpdate* update);
void SetRestartingFalse(JobSet* js, const std::string& reason, const std::string& message, Time now,
                        StatusUpdate* update);
void SetInOrderStartupInProgress(JobSet* js, Time now, StatusUpdate* update);
void SetInOrderStartupCompleted(JobSet* js, Time now, StatusUpdate* update);

// jobSetFinished: Completed or Failed is True.
bool JobSetFinished(const JobSet& js);
// The condition of that type, or null.
const JobSetCondition* FindJobSetCondition(const JobSet& js, const std::string& type);

}  // namespace ptsim
