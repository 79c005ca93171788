#include "fakes/job/backoff.hpp"

#include <algorithm>

namespace ptsim {
namespace {

std::optional<Time> FinishTimeFromContainers(const Pod& pod) {
  std::optional<Time> latest;
  for (const auto* list : {&pod.status.init_container_statuses, &pod.status.container_statuses}) {
    for (const auto& c : *list) {
      if (!c.state.terminated || c.state.terminated->finished_at == Time{}) return std::nullopt;
      if (!latest || c.state.terminated->finished_at > *latest) {
        latest = c.state.terminated->finished_at;
      }
    }
  }
  return latest;
}

}  // namespace

Time GetFinishedTime(const Pod& pod) {
  if (auto t = FinishTimeFromContainers(pod)) return *t;
  if (const PodCondition* ready = pod.status.FindCondition("Ready");
      ready && ready->status == "False" && ready->last_transition_time != Time{}) {
    return ready->last_transition_time;
  }
  if (pod.metadata.deletion_timestamp) {
    return *pod.metadata.deletion_timestamp -
           std::chrono::seconds(pod.metadata.deletion_grace_period_seconds.value_or(0));
  }
  return pod.metadata.creation_timestamp;
}

BackoffRecord NewBackoffRecord(BackoffRecord backoff, std::vector<const Pod*> new_succeeded,
                               std::vector<const Pod*> new_failed) {
  auto by_finish = [](const Pod* a, const Pod* b) {
    return GetFinishedTime(*a) < GetFinishedTime(*b);
  };
  std::stable_sort(new_succeeded.begin(), new_succeeded.end(), by_finish);
  std::stable_sort(new_failed.begin(), new_failed.end(), by_finish);
  if (new_succeeded.empty()) {
    if (new_failed.empty()) return backoff;
    backoff.failures_after_last_success += static_cast<std::int32_t>(new_failed.size());
    backoff.last_failure_time = GetFinishedTime(*new_failed.back());
    return backoff;
  }
  backoff.failures_after_last_success = 0;
  backoff.last_failure_time.reset();
  const Time last_success = GetFinishedTime(*new_succeeded.back());
  for (auto it = new_failed.rbegin(); it != new_failed.rend(); ++it) {
    const Time failed = GetFinishedTime(**it);
    if (failed <= last_success) break;
    if (!backoff.last_failure_time) backoff.last_failure_time = failed;
    ++backoff.failures_after_last_success;
  }
  return backoff;
}

Duration RemainingBackoff(std::int32_t failures, std::optional<Time> last_failure, Time now,
                          Duration default_backoff, Duration max_backoff) {
  if (failures == 0 || !last_failure) return Duration{0};
  Duration backoff = default_backoff;
  for (std::int32_t i = 1; i < failures; ++i) {
    backoff *= 2;
    if (backoff >= max_backoff) {
      backoff = max_backoff;
      break;
    }
  }
  const Duration elapsed = now - *last_failure;
  if (backoff < elapsed) return Duration{0};
  return backoff - elapsed;
}

}  // namespace ptsim
