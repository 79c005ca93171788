#include "fakes/jobset/replicated_job_status.hpp"

#include <algorithm>
#include <map>

namespace ptsim {
namespace {

const std::string* ReplicatedJobOf(const BatchJob& job) {
  const auto it = job.metadata.labels.find(kReplicatedJobNameKey);
  if (it == job.metadata.labels.end() || it->second.empty()) return nullptr;
  return &it->second;
}

std::int32_t ReplicasOf(const JobSet& js, const std::string& name) {
  for (const auto& r : js.spec.replicated_jobs)
    if (r.name == name) return r.replicas.value_or(1);
  return 0;
}

}  // namespace

std::vector<ReplicatedJobStatus> CalculateReplicatedJobStatuses(const JobSet& js,
                                                                const ChildJobs& jobs) {
  std::map<std::string, ReplicatedJobStatus> by_name;
  for (const auto& r : js.spec.replicated_jobs)
    by_name[r.name].name = r.name;
  auto entry = [&](const BatchJob& job) -> ReplicatedJobStatus* {
    const std::string* name = ReplicatedJobOf(job);
    if (!name) return nullptr;
    const auto it = by_name.find(*name);
    return it == by_name.end() ? nullptr : &it->second;
  };
  for (const auto& job : jobs.active) {
    auto* s = entry(*job);
    if (!s) continue;
    const std::int32_t ready = job->status.ready.value_or(0);
    std::int32_t pods = job->spec.parallelism.value_or(1);
    if (job->spec.completions && *job->spec.completions < pods) pods = *job->spec.completions;
    if (job->status.succeeded + ready >= pods) ++s->ready;
    if (job->status.active > 0) ++s->active;
    if (job->spec.suspend.value_or(false)) ++s->suspended;
  }
  for (const auto& job : jobs.successful)
    if (auto* s = entry(*job)) ++s->succeeded;
  for (const auto& job : jobs.failed)
    if (auto* s = entry(*job)) ++s->failed;
  std::vector<ReplicatedJobStatus> out;
  for (auto it = by_name.rbegin(); it != by_name.rend(); ++it)
    out.push_back(it->second);
  return out;
}

const ReplicatedJobStatus* FindReplicatedJobStatus(const std::vector<ReplicatedJobStatus>& s,
                                                   const std::string& name) {
  for (const auto& st : s)
    if (st.name == name) return &st;
  return nullptr;
}

bool AllJobsReady(const JobSet& js, const std::vector<ReplicatedJobStatus>& statuses) {
  std::int64_t total = 0;
  std::int64_t ready = 0;
  for (const auto& r : js.spec.replicated_jobs)
    total += r.replicas.value_or(1);
  for (const auto& s : statuses)
    ready += s.ready + s.succeeded;
  return total == ready;
}

bool AllReplicasStarted(std::int32_t replicas, const ReplicatedJobStatus* status) {
  // Upstream dereferences the status; every replicated job has one.
  return status && replicas == status->failed + status->ready + status->succeeded;
}

bool DependencyReachedStatus(const JobSet& js, const ReplicatedJob& rjob,
                             const std::vector<ReplicatedJobStatus>& statuses) {
  for (const auto& dep : rjob.depends_on) {
    const auto* actual = FindReplicatedJobStatus(statuses, dep.name);
    if (!actual) return false;
    const std::int32_t replicas = ReplicasOf(js, dep.name);
    if (dep.status == "Complete" && replicas != actual->succeeded) return false;
    if (dep.status == "Ready" && replicas != actual->failed + actual->ready + actual->succeeded)
      return false;
  }
  return true;
}

}  // namespace ptsim
