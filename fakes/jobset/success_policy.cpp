#include "fakes/jobset/success_policy.hpp"

#include <algorithm>

namespace ptsim {
namespace {

bool Targeted(const JobSet& js, const std::string& rjob) {
  const auto& targets = js.spec.success_policy->target_replicated_jobs;
  return targets.empty() || std::find(targets.begin(), targets.end(), rjob) != targets.end();
}

}  // namespace

int NumJobsExpectedToSucceed(const JobSet& js) {
  const auto& op = js.spec.success_policy->operator_;
  if (op == "Any") return 1;
  int total = 0;
  if (op == "All") {
    for (const auto& r : js.spec.replicated_jobs)
      if (Targeted(js, r.name)) total += r.replicas.value_or(1);
  }
  return total;
}

int NumJobsMatchingSuccessPolicy(const JobSet& js, const std::vector<BatchJobPtr>& succeeded) {
  int total = 0;
  for (const auto& job : succeeded) {
    const auto it = job->metadata.labels.find(kReplicatedJobNameKey);
    const std::string rjob = it == job->metadata.labels.end() ? "" : it->second;
    if (Targeted(js, rjob)) ++total;
  }
  return total;
}

}  // namespace ptsim
