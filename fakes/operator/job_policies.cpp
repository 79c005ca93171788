#include "fakes/operator/job_policies.hpp"

#include <charconv>

#include "fakes/operator/job_conditions.hpp"

namespace ptsim {

bool PastBackoffLimit(const RunPolicy& policy, const ReplicaSpecs& replicas,
                      const std::vector<PodPtr>& pods, int extra_restarts) {
  if (!policy.backoff_limit) return false;
  std::int64_t restarts = extra_restarts;
  for (const auto& [rtype, spec] : replicas) {
    if (spec.restart_policy != "OnFailure" && spec.restart_policy != "Always" &&
        spec.restart_policy != "ExitCode") {
      continue;  // "Not counted in backoff limit."
    }
    for (const auto& pod : FilterPodsForReplicaType(pods, ToLower(rtype))) {
      if (pod->status.phase != "Running") continue;
      for (const auto& s : pod->status.init_container_statuses)
        restarts += s.restart_count;
      for (const auto& s : pod->status.container_statuses)
        restarts += s.restart_count;
    }
  }
  if (*policy.backoff_limit == 0) return restarts > 0;
  return restarts >= *policy.backoff_limit;
}

bool PastActiveDeadline(const RunPolicy& policy, const JobStatus& status, Time now) {
  if (!policy.active_deadline_seconds || !status.start_time) return false;
  return now - *status.start_time >= std::chrono::seconds(*policy.active_deadline_seconds);
}

std::optional<Duration> DurationUntilExpireTime(const RunPolicy& policy, const JobStatus& status,
                                                Time now) {
  if (!IsFinished(status) || !policy.ttl_seconds_after_finished) return Duration{-1};
  if (!status.completion_time) return std::nullopt;
  const Time expire =
      *status.completion_time + std::chrono::seconds(*policy.ttl_seconds_after_finished);
  if (now > expire) return Duration{0};
  return expire - now;
}

std::vector<PodPtr> PodsToClean(const RunPolicy& policy, bool job_finished,
                                const std::vector<PodPtr>& pods) {
  const std::string p = policy.clean_pod_policy.value_or("None");
  if (job_finished && p == "None") return {};
  std::vector<PodPtr> out;
  for (const auto& pod : pods) {
    if (job_finished && p == "Running" && pod->status.phase != "Running" &&
        pod->status.phase != "Pending") {
      continue;
    }
    out.push_back(pod);
  }
  return out;
}

std::vector<PodPtr> FilterActivePods(const std::vector<PodPtr>& pods) {
  std::vector<PodPtr> out;
  for (const auto& pod : pods) {
    if (pod->status.phase != "Succeeded" && pod->status.phase != "Failed" &&
        !pod->metadata.deletion_timestamp) {
      out.push_back(pod);
    }
  }
  return out;
}

bool IsJobSuspended(const RunPolicy* policy) {
  return policy != nullptr && policy->suspend.value_or(false);
}

std::optional<int> ReplicaIndex(const Labels& labels) {
  auto it = labels.find(kReplicaIndexLabel);
  if (it == labels.end()) return std::nullopt;
  std::string_view v = it->second;
  // strconv.Atoi: one optional sign, then decimal digits only.
  bool negative = false;
  if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
    negative = v[0] == '-';
    v.remove_prefix(1);
  }
  int out = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || v[0] == '-' || ec != std::errc() || ptr != v.data() + v.size()) {
    return std::nullopt;
  }
  return negative ? -out : out;
}

}  // namespace ptsim
