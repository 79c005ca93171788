// The Job controller's pod-recreation backoff (pkg/controller/job/
// backoff_utils.go): per Job, the failures since the last success and the
// finish time of the last one; a replacement pod waits 10s·2^(n−1), capped at
// MaxJobPodFailureBackOff (10 min in code; the docs say six minutes), from
// that finish time. Failures matched by an Ignore rule of the podFailurePolicy
// count too (upstream passes every newly finished failed pod). Plain data and
// pure functions; loop thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

inline constexpr Duration kDefaultJobPodFailureBackOff = std::chrono::seconds(10);
inline constexpr Duration kMaxJobPodFailureBackOff = std::chrono::minutes(10);

struct BackoffRecord {
  std::int32_t failures_after_last_success = 0;
  std::optional<Time> last_failure_time;
  bool operator==(const BackoffRecord&) const = default;
};

// getFinishedTime: the latest finishedAt of the pod's terminated containers
// (when all have one), else the lastTransitionTime of Ready=False, else
// deletionTimestamp minus the grace period, else creationTimestamp.
Time GetFinishedTime(const Pod& pod);

// newBackoffRecord: `stored` updated with the pods that finished since.
BackoffRecord NewBackoffRecord(BackoffRecord stored, std::vector<const Pod*> new_succeeded,
                               std::vector<const Pod*> new_failed);

// getRemainingTimeForFailuresCount: how long a replacement must still wait.
Duration RemainingBackoff(std::int32_t failures, std::optional<Time> last_failure, Time now,
                          Duration default_backoff = kDefaultJobPodFailureBackOff,
                          Duration max_backoff = kMaxJobPodFailureBackOff);
inline Duration RemainingBackoff(const BackoffRecord& r, Time now,
                                 Duration default_backoff = kDefaultJobPodFailureBackOff,
                                 Duration max_backoff = kMaxJobPodFailureBackOff) {
  return RemainingBackoff(r.failures_after_last_success, r.last_failure_time, now, default_backoff,
                          max_backoff);
}

}  // namespace ptsim
