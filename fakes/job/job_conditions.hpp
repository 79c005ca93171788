// Conditions of batch/v1 Jobs as the Job controller writes them
// (pkg/controller/job/job_controller.go newCondition,
// ensureJobConditionStatus, IsJobFinished) and the reasons and messages it
// uses (k8s.io/api/batch/v1 types.go; job_controller.go). Pure functions.
#pragma once

#include <string>
#include <vector>

#include "sim/model/batch_job.hpp"

namespace ptsim {

inline constexpr const char* kJobReasonBackoffLimitExceeded = "BackoffLimitExceeded";
inline constexpr const char* kJobReasonDeadlineExceeded = "DeadlineExceeded";
inline constexpr const char* kJobReasonPodFailurePolicy = "PodFailurePolicy";
inline constexpr const char* kJobReasonMaxFailedIndexesExceeded = "MaxFailedIndexesExceeded";
inline constexpr const char* kJobReasonFailedIndexes = "FailedIndexes";
inline constexpr const char* kJobReasonSuccessPolicy = "SuccessPolicy";
inline constexpr const char* kJobReasonCompletionsReached = "CompletionsReached";
inline constexpr const char* kBackoffLimitExceededMessage =
    "Job has reached the specified backoff limit";
inline constexpr const char* kDeadlineExceededMessage =
    "Job was active longer than specified deadline";
inline constexpr const char* kMaxFailedIndexesExceededMessage =
    "Job has exceeded the specified maximal number of failed indexes";
inline constexpr const char* kFailedIndexesMessage = "Job has failed indexes";
inline constexpr const char* kCompletionsReachedMessage =
    "Reached expected number of succeeded pods";

BatchJobCondition NewJobCondition(const std::string& type, const std::string& status,
                                  const std::string& reason, const std::string& message, Time now);
const BatchJobCondition* FindJobCondition(const std::vector<BatchJobCondition>& list,
                                          const std::string& type);
bool IsJobConditionTrue(const std::vector<BatchJobCondition>& list, const std::string& type);
// ensureJobConditionStatus: updates the condition of that type when status,
// reason or message differ; adds it unless the status is False. True when
// something changed.
bool EnsureJobConditionStatus(std::vector<BatchJobCondition>* list, const std::string& type,
                              const std::string& status, const std::string& reason,
                              const std::string& message, Time now);
// Complete or Failed is True.
bool IsJobFinished(const BatchJobStatus& status);

}  // namespace ptsim
