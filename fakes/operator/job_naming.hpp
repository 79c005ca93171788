// Names, labels and selectors of the objects a PyTorchJob owns
// (training-operator pkg/controller.v1/common/util.go GenGeneralName,
// job_controller.go GenLabels and GenOwnerReference, pkg/core/utils.go).
#pragma once

#include <map>
#include <string>

#include "fakes/operator/operator_profile.hpp"
#include "sim/model/pytorchjob.hpp"

namespace ptsim {

inline constexpr const char* kControllerName = "pytorchjob-controller";

using ReplicaSpecs = std::map<std::string, ReplicaSpec>;

// "<job>-<lowercase rtype>-<index>", with every '/' replaced by '-'.
std::string GenGeneralName(const std::string& job, const std::string& rtype, int index);
std::string ToLower(std::string s);
// {operator-name: pytorchjob-controller, job-name: <job>}
Labels GenLabels(const std::string& job);
// The replicaStatuses selector: metav1.FormatLabelSelector of GenLabels plus
// the replica type, keys sorted.
std::string ReplicaSelector(const std::string& job, const std::string& rtype);
OwnerReference GenOwnerReference(const PyTorchJob& job);
bool ContainsMasterSpec(const ReplicaSpecs& replicas);
// Master owns the master role; without a Master, worker 0 does (v1.8+).
bool IsMasterRole(const ReplicaSpecs& replicas, const std::string& rtype, int index,
                  const OperatorProfile& profile);
std::int32_t GetTotalReplicas(const ReplicaSpecs& replicas);
// ExitCode policy: an exit code is retryable exactly when it is >= 128
// (pkg/util/train/train_util.go IsRetryableExitCode).
inline bool IsRetryableExitCode(std::int32_t code) {
  return code >= 128;
}

}  // namespace ptsim
