// status.replicatedJobsStatus and the predicates built on it
// (pkg/controllers/jobset_controller.go @v0.12.0
// calculateReplicatedJobStatuses, allJobsReady; startup_policy.go
// allReplicasStarted; depends_on.go dependencyReachedStatus). Pure
// functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "fakes/jobset/child_jobs.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

// One entry per replicated job of the spec: ready = active Jobs whose
// succeeded + ready >= min(parallelism, completions); active = active Jobs
// with status.active > 0; suspended = active Jobs with spec.suspend;
// succeeded and failed = finished Jobs. Jobs of no known replicated job are
// skipped. Sorted by name descending, the order upstream's
// replicatedJobStatusesEqual leaves in the stored status.
std::vector<ReplicatedJobStatus> CalculateReplicatedJobStatuses(const JobSet& js,
                                                                const ChildJobs& jobs);

const ReplicatedJobStatus* FindReplicatedJobStatus(const std::vector<ReplicatedJobStatus>& s,
                                                   const std::string& name);
// Σ replicas == Σ (ready + succeeded).
bool AllJobsReady(const JobSet& js, const std::vector<ReplicatedJobStatus>& statuses);
// replicas == failed + ready + succeeded (false without a status).
bool AllReplicasStarted(std::int32_t replicas, const ReplicatedJobStatus* status);
// Each dependency of `rjob` has succeeded == replicas (Complete) or
// ready + succeeded + failed == replicas (Ready).
bool DependencyReachedStatus(const JobSet& js, const ReplicatedJob& rjob,
                             const std::vector<ReplicatedJobStatus>& statuses);

}  // namespace ptsim
