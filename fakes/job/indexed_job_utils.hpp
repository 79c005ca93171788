// Helpers of Indexed Jobs (pkg/controller/job/indexed_job_utils.go): the
// completion index of a pod, the indexes still to run, the per-index failure
// count, and the names of pods. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sim/model/batch_job.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

inline constexpr std::int32_t kUnknownCompletionIndex = -1;
// names.MaxGeneratedNameLength: a generateName prefix is cut to this.
inline constexpr std::size_t kMaxGeneratedNameLength = 58;

// getCompletionIndex: the batch.kubernetes.io/job-completion-index annotation
// (else label) as a number, or -1 when absent or not a number.
std::int32_t GetCompletionIndex(const ObjectMeta& meta);

// firstPendingIndexes: up to `count` lowest indexes in [0, completions) that
// are neither in `non_pending` (succeeded, failed, active or waiting for a
// terminating pod) .
std::vector<std::int32_t> FirstPendingIndexes(const std::set<std::int32_t>& non_pending,
                                              std::int32_t count, std::int32_t completions);

// podGenerateNameWithIndex: "<job>-<index>-", its job part cut so the whole
// stays within 58 characters.
std::string PodGenerateNameWithIndex(const std::string& job_name, std::int32_t index);
// The generateName of a NonIndexed Job's pods: "<job>-", cut to 58 characters.
std::string PodGenerateName(const std::string& job_name);

// getIndexFailureCount: the batch.kubernetes.io/job-index-failure-count
// annotation, 0 when absent or invalid.
std::int32_t GetIndexFailureCount(const Pod& pod);

}  // namespace ptsim
