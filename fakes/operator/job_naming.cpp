#include "fakes/operator/job_naming.hpp"

#include <algorithm>
#include <cctype>

#include "sim/model/label_selector.hpp"

namespace ptsim {

std::string ToLower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string GenGeneralName(const std::string& job, const std::string& rtype, int index) {
  std::string name = job + "-" + ToLower(rtype) + "-" + std::to_string(index);
  std::replace(name.begin(), name.end(), '/', '-');
  return name;
}

Labels GenLabels(const std::string& job) {
  return {{kOperatorNameLabel, kControllerName}, {kJobNameLabel, job}};
}

std::string ReplicaSelector(const std::string& job, const std::string& rtype) {
  Labels labels = GenLabels(job);
  labels[kReplicaTypeLabel] = ToLower(rtype);
  return LabelSelector::FromLabels(labels).ToString();
}

OwnerReference GenOwnerReference(const PyTorchJob& job) {
  return {
      PyTorchJob::kApiVersion, PyTorchJob::kKind, job.metadata.name, job.metadata.uid, true, true};
}

bool ContainsMasterSpec(const ReplicaSpecs& replicas) {
  return replicas.count(kReplicaTypeMaster) > 0;
}

bool IsMasterRole(const ReplicaSpecs& replicas, const std::string& rtype, int index,
                  const OperatorProfile& profile) {
  if (ContainsMasterSpec(replicas) || !profile.job_role_on_worker0) {
    return rtype == kReplicaTypeMaster;
  }
  return rtype == kReplicaTypeWorker && index == 0;
}

std::int32_t GetTotalReplicas(const ReplicaSpecs& replicas) {
  std::int32_t total = 0;
  for (const auto& [rtype, spec] : replicas)
    total += spec.replicas.value_or(1);
  return total;
}

}  // namespace ptsim
