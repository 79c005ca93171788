// Validation of batch/v1 Jobs as kube-apiserver runs it on create
// (ValidateJob, pkg/apis/batch/validation/validation.go, Kubernetes
// 1.33–1.35 with the JobSuccessPolicy, JobBackoffLimitPerIndex,
// JobPodReplacementPolicy and JobManagedBy gates on), on the object after
// SetDefaults_Job and GenerateJobSelector. Messages are upstream's, rendered
// as field.Error; the API server joins them into
// `Job "<name>" is invalid: [e1, e2]`. The pod template itself is checked at
// decode time (ValidatePodSpec). Pure functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "sim/model/batch_job.hpp"
#include "sim/model/field_error.hpp"

namespace ptsim {

// Upstream's limits (validation.go).
inline constexpr std::int32_t kMaxParallelismForIndexedJob = 100000;
inline constexpr std::int32_t kMaxFailedIndexesForIndexedJob = 100000;
inline constexpr std::size_t kMaxPodFailurePolicyRules = 20;
inline constexpr std::size_t kMaxPodFailurePolicyOnExitCodesValues = 255;
inline constexpr std::size_t kMaxSuccessPolicyRules = 20;

// ValidateJob: metadata.name, the generated selector, then ValidateJobSpec.
std::vector<FieldError> ValidateBatchJob(const BatchJob& job);
// validateJobSpec (no selector checks): what a JobTemplateSpec gets, at `path`
// ("spec" for a Job).
std::vector<FieldError> ValidateJobSpecFields(const JobSpec& spec, const std::string& path);

}  // namespace ptsim
