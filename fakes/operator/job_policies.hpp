// The run-policy checks of the training-operator's generic job loop
// (pkg/core/job.go PastBackoffLimit, PastActiveDeadline; pkg/common/util/util.go
// DurationUntilExpireTime; pkg/controller.v1/common/job.go DeletePodsAndServices'
// choice of pods). Pure functions (reference/training-operator.md §5-§8).
#pragma once

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

}  // namespace ptsim
