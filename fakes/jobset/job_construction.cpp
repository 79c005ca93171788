#include "fakes/jobset/job_construction.hpp"

#include <fmt/format.h>
#include <boost/uuid/detail/sha1.hpp>

#include "sim/model/jobset_validation.hpp"

namespace ptsim {
namespace {

std::int32_t Replicas(const ReplicatedJob& rjob) {
  return rjob.replicas.value_or(1);
}
std::string Group(const ReplicatedJob& rjob) {
  return rjob.group_name.value_or("default");
}

std::string GlobalReplicas(const JobSet& js) {
  std::int64_t total = 0;
  for (const auto& r : js.spec.replicated_jobs)
    total += Replicas(r);
  return std::to_string(total);
}

std::string GlobalJobIndex(const JobSet& js, const std::string& rjob, int idx) {
  std::int64_t total = 0;
  for (const auto& r : js.spec.replicated_jobs) {
    if (r.name == rjob) return std::to_string(total + idx);
    total += Replicas(r);
  }
  return "";
}

std::string GroupReplicas(const JobSet& js, const std::string& group) {
  std::int64_t total = 0;
  for (const auto& r : js.spec.replicated_jobs)
    if (Group(r) == group) total += Replicas(r);
  return std::to_string(total);
}

std::string GroupJobIndex(const JobSet& js, const std::string& group, const std::string& rjob,
                          int idx) {
  std::int64_t total = 0;
  for (const auto& r : js.spec.replicated_jobs) {
    if (Group(r) != group) continue;
    if (r.name == rjob) return std::to_string(total + idx);
    total += Replicas(r);
  }
  return "";
}

void LabelAndAnnotate(ObjectMeta* meta, const JobSet& js, const ReplicatedJob& rjob, int idx) {
  const std::string job_name = GenJobName(js.metadata.name, rjob.name, idx);
  std::map<std::string, std::string> keys = {
      {kJobSetNameKey, js.metadata.name},
      {kJobSetUidKey, js.metadata.uid},
      {kReplicatedJobNameKey, rjob.name},
      {kRestartsKey, std::to_string(js.status.restarts)},
      {kReplicatedJobReplicasKey, std::to_string(Replicas(rjob))},
      {kGlobalReplicasKey, GlobalReplicas(js)},
      {kJobIndexKey, std::to_string(idx)},
      {kJobKey, JobHashKey(js.metadata.namespace_, job_name)},
      {kJobGlobalIndexKey, GlobalJobIndex(js, rjob.name, idx)},
      {kGroupNameKey, Group(rjob)},
      {kGroupReplicasKey, GroupReplicas(js, Group(rjob))},
      {kJobGroupIndexKey, GroupJobIndex(js, Group(rjob), rjob.name, idx)},
  };
  if (js.spec.coordinator) keys[kCoordinatorKey] = CoordinatorEndpoint(js);
  for (const auto& [k, v] : keys) {
    meta->labels[k] = v;
    meta->annotations[k] = v;
  }
}

}  // namespace

std::string JobHashKey(const std::string& ns, const std::string& job) {
  const std::string s = ns + "/" + job;
  boost::uuids::detail::sha1 sha;
  sha.process_bytes(s.data(), s.size());
  unsigned int digest[5];
  sha.get_digest(digest);
  std::string hex;
  for (unsigned int word : digest)
    hex += fmt::format("{:08x}", word);
  return hex;
}

std::string JobSetSubdomain(const JobSet& js) {
  if (js.spec.network && js.spec.network->subdomain && !js.spec.network->subdomain->empty())
    return *js.spec.network->subdomain;
  return js.metadata.name;
}

bool DnsHostnamesEnabled(const JobSet& js) {
  return js.spec.network && js.spec.network->enable_dns_hostnames.value_or(false);
}

std::string CoordinatorEndpoint(const JobSet& js) {
  const auto& c = *js.spec.coordinator;
  return fmt::format("{}-{}-{}-{}.{}", js.metadata.name, c.replicated_job, c.job_index, c.pod_index,
                     JobSetSubdomain(js));
}

BatchJob ConstructJob(const JobSet& js, const ReplicatedJob& rjob, int job_index) {
  BatchJob job;
  job.metadata.labels = rjob.template_.metadata.labels;
  job.metadata.annotations = rjob.template_.metadata.annotations;
  job.metadata.name = GenJobName(js.metadata.name, rjob.name, job_index);
  job.metadata.namespace_ = js.metadata.namespace_;
  job.spec = rjob.template_.spec;
  LabelAndAnnotate(&job.metadata, js, rjob, job_index);
  LabelAndAnnotate(&job.spec.template_.metadata, js, rjob, job_index);
  if (DnsHostnamesEnabled(js)) job.spec.template_.spec.subdomain = JobSetSubdomain(js);
  job.spec.suspend = js.spec.suspend.value_or(false);
  return job;
}

std::vector<BatchJob> ConstructJobsFromTemplate(const JobSet& js, const ReplicatedJob& rjob,
                                                const ChildJobs& owned) {
  std::vector<BatchJob> jobs;
  const bool blocking =
      js.spec.failure_policy && js.spec.failure_policy->restart_strategy == "BlockingRecreate";
  if (!owned.previous.empty() && blocking) return jobs;
  auto owned_name = [&](const std::string& name) {
    for (const auto* list : {&owned.active, &owned.successful, &owned.failed, &owned.previous})
      for (const auto& j : *list)
        if (j->metadata.name == name) return true;
    return false;
  };
  for (int i = 0; i < Replicas(rjob); ++i) {
    if (owned_name(GenJobName(js.metadata.name, rjob.name, i))) continue;
    jobs.push_back(ConstructJob(js, rjob, i));
  }
  return jobs;
}

}  // namespace ptsim
