// The TrainJob controller's status rules (kubeflow/trainer v2.3.0
// pkg/controller/trainjob_controller.go and setup.go, plugins/jobset
// JobSet.Status): conditions set as metav1 SetStatusCondition sets them (the
// transition time moves only when the status changes), the Suspended
// condition, the copy of the JobSet's Completed/Failed conditions and
// replicatedJobsStatus, and the active deadline. Pure; any thread.
#pragma once

#include <optional>
#include <string>

#include "sim/core/time.hpp"
#include "sim/model/jobset.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim {

inline constexpr const char* kTrainJobComplete = "Complete";
inline constexpr const char* kTrainJobFailed = "Failed";
inline constexpr const char* kTrainJobSuspended = "Suspended";
inline constexpr const char* kDeadlineExceededReason = "DeadlineExceeded";
inline constexpr const char* kDeadlineExceededMessage = "TrainJob exceeded its active deadline";
inline constexpr const char* kRuntimeNotSupportedReason = "TrainingRuntimeNotSupported";

const JobSetCondition* FindCondition(const TrainJobStatus& status, const std::string& type);
bool IsConditionTrue(const TrainJobStatus& status, const std::string& type);
// Complete=True or Failed=True.
bool IsTrainJobFinished(const TrainJobStatus& status);
// meta.SetStatusCondition.
void SetCondition(TrainJobStatus* status, JobSetCondition condition, Time now);

// removeFailedCondition (v2.3.0; gone in the `fixed` profile, #3891).
void RemoveNonDeadlineFailed(TrainJobStatus* status);

// Suspended True "Suspended" while spec.suspend, False "Resumed" once it is
// not, and only if the condition already exists.
void UpdateSuspendedCondition(const TrainJob& trainjob, TrainJobStatus* status, Time now);

// JobSet.Status: jobsStatus copied verbatim; the JobSet's Completed=True
// becomes Complete and Failed=True Failed, reason, message and time kept.
// A missing JobSet leaves the status as it is.
void CopyJobSetStatus(const JobSet* jobset, TrainJobStatus* status);

// The deadline's start: creationTimestamp, or the Suspended=False transition
// after a resume. nullopt when there is no deadline or the TrainJob is
// suspended.
std::optional<Time> DeadlineOf(const TrainJob& trainjob);

}  // namespace ptsim
