// RuntimeInfo: the working state a TrainJob build passes through the
// runtime's plugins (kubeflow/trainer v2.3.0 pkg/runtime/runtime.go Info,
// pkg/runtime/core/trainingruntime.go newRuntimeInfo): a copy of the
// runtime's JobSet template and its metadata, the ML policy, and one PodSet
// per replicated job with the node count the plugins settle on. The build
// owns it; plugins mutate it in order. Plain data; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/model/jobset.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim {

// One replicated job of the runtime template as the plugins see it.
struct PodSet {
  std::string name;      // the replicated job's name
  std::string ancestor;  // its trainjob-ancestor-step label, "" when absent
  // max(1, mlPolicy.numNodes) for the trainer, max(1, parallelism) otherwise;
  // the Torch plugin then applies trainer.numNodes as written (so a negative
  // count is possible in v2.3.0, kubeflow/trainer#3805).
  std::int32_t count = 1;
};

struct RuntimeInfo {
  Labels labels;                                   // template.metadata.labels
  std::map<std::string, std::string> annotations;  // template.metadata.annotations
  std::optional<MLPolicy> ml_policy;
  JobSetSpec template_spec;  // mutated by the plugins
  std::vector<PodSet> pod_sets;

  // The first PodSet whose ancestor is `ancestor` (FindPodSetByAncestor).
  PodSet* FindPodSetByAncestor(const std::string& ancestor);
  const PodSet* FindPodSetByAncestor(const std::string& ancestor) const;
  // The replicated job of that name in template_spec, or null.
  ReplicatedJob* FindReplicatedJob(const std::string& name);
  const ReplicatedJob* FindReplicatedJob(const std::string& name) const;
  // Container `container` of the first replicated job whose ancestor is
  // `ancestor` (FindContainerByPodSetAncestorContainerName), or null.
  Container* FindContainerByAncestor(const std::string& ancestor, const std::string& container);
  bool HasTorchPolicy() const { return ml_policy && ml_policy->torch.has_value(); }
};

// newRuntimeInfo: copies the runtime's template and computes the PodSet counts.
RuntimeInfo NewRuntimeInfo(const TrainingRuntimeSpec& runtime);

// The ancestor label of a replicated job, "" when absent.
std::string AncestorOf(const ReplicatedJob& rjob);

// Upserts by name, keeping the position of an existing variable
// (pkg/apply UpsertEnvVar).
void UpsertEnvVar(std::vector<EnvVar>* env, const EnvVar& var);
void UpsertEnvVars(std::vector<EnvVar>* env, const std::vector<EnvVar>& vars);

}  // namespace ptsim
