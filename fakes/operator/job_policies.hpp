// The run-policy checks of the training-operator's generic job loop
// (pkg/core/job.go PastBackoffLimit, PastActiveDeadline; pkg/common/util/util.go
// DurationUntilExpireTime; pkg/controller.v1/common/job.go DeletePodsAndServices'
// choice of pods; the pod-slice helpers of pkg/core/pod.go). Pure functions.
// The rules are in docs/upstream/training-operator.md: pod slots and scaling,
// backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, cleanPodPolicy.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "fakes/operator/job_naming.hpp"
#include "sim/model/pytorchjob.hpp"

namespace ptsim {

using PodPtr = std::shared_ptr<const Pod>;

// R = the restartCounts of every container and init container of Running pods
// whose replica type restarts (OnFailure, Always, ExitCode). With backoffLimit
// 0: R > 0; otherwise R >= backoffLimit. `extra_restarts` is added to R (the
// `fixed` profile's ExitCode recreations).
bool PastBackoffLimit(const RunPolicy& policy, const ReplicaSpecs& replicas,
                      const std::vector<PodPtr>& pods, int extra_restarts = 0);
// now - startTime >= activeDeadlineSeconds.
bool PastActiveDeadline(const RunPolicy& policy, const JobStatus& status, Time now);

// -1 when the job is unfinished or has no TTL; 0 when expired; else the time
// left. Returns nullopt for the upstream error "job completion time is nil,
// cannot cleanup".
std::optional<Duration> DurationUntilExpireTime(const RunPolicy& policy, const JobStatus& status,
                                                Time now);

// The pods DeletePodsAndServices deletes: none when the job is finished and
// the policy is None; Running and Pending pods when finished with Running;
// otherwise (All, any other string, or an unfinished job) all of them.
std::vector<PodPtr> PodsToClean(const RunPolicy& policy, bool job_finished,
                                const std::vector<PodPtr>& pods);

// Pods not Succeeded/Failed and without deletionTimestamp (k8sutil.FilterActivePods).
std::vector<PodPtr> FilterActivePods(const std::vector<PodPtr>& pods);

// pkg/util/train IsJobSuspended: runPolicy set and suspend true.
bool IsJobSuspended(const RunPolicy* policy);

// pkg/util/labels ReplicaIndex: the replica-index label as Go's strconv.Atoi
// reads it; nullopt when missing or not an integer.
std::optional<int> ReplicaIndex(const Labels& labels);

// pkg/core/pod.go FilterPodsForReplicaType (and service.go
// FilterServicesForReplicaType): the objects labelled replica-type=`rtype_lower`,
// in their order.
template <typename Ptr>
std::vector<Ptr> FilterForReplicaType(const std::vector<Ptr>& objects,
                                      const std::string& rtype_lower) {
  std::vector<Ptr> out;
  for (const auto& o : objects) {
    auto it = o->metadata.labels.find(kReplicaTypeLabel);
    if (it != o->metadata.labels.end() && it->second == rtype_lower) out.push_back(o);
  }
  return out;
}
inline std::vector<PodPtr> FilterPodsForReplicaType(const std::vector<PodPtr>& pods,
                                                    const std::string& rtype_lower) {
  return FilterForReplicaType(pods, rtype_lower);
}

// pkg/core/pod.go CalculatePodSliceSize (and service.go
// CalculateServiceSliceSize): max(highest replica-index + 1, replicas), where
// objects without a readable index are skipped and the highest index starts
// at 0, so that no objects and 0 replicas still give 1 (kubeflow/trainer#1709).
template <typename Ptr>
int CalculateSliceSize(const std::vector<Ptr>& objects, int replicas) {
  int size = 0;
  for (const auto& o : objects) {
    if (auto index = ReplicaIndex(o->metadata.labels)) size = std::max(size, *index);
  }
  return std::max(size + 1, replicas);
}
inline int CalculatePodSliceSize(const std::vector<PodPtr>& pods, int replicas) {
  return CalculateSliceSize(pods, replicas);
}

}  // namespace ptsim
