#include "fakes/trainer/runtime_info.hpp"

#include <algorithm>

namespace ptsim {

std::string AncestorOf(const ReplicatedJob& rjob) {
  auto it = rjob.template_.metadata.labels.find(kAncestorStepLabel);
  return it == rjob.template_.metadata.labels.end() ? std::string() : it->second;
}

RuntimeInfo NewRuntimeInfo(const TrainingRuntimeSpec& runtime) {
  RuntimeInfo info;
  info.labels = runtime.template_.metadata.labels;
  info.annotations = runtime.template_.metadata.annotations;
  info.ml_policy = runtime.ml_policy;
  info.template_spec = runtime.template_.spec;
  // pkg/runtime/core/trainingruntime.go newRuntimeInfo: the trainer's count is
  // mlPolicy.numNodes (default 1), every other replicated job's its pod
  // template's parallelism (default 1); both at least 1.
  bool trainer_seen = false;
  for (const ReplicatedJob& rjob : info.template_spec.replicated_jobs) {
    PodSet ps;
    ps.name = rjob.name;
    ps.ancestor = AncestorOf(rjob);
    std::int32_t count = rjob.template_.spec.parallelism.value_or(1);
    if (ps.ancestor == kAncestorTrainer && !trainer_seen) {
      trainer_seen = true;
      count = 1;
      if (info.ml_policy && info.ml_policy->num_nodes) count = *info.ml_policy->num_nodes;
    }
    ps.count = std::max<std::int32_t>(1, count);
    info.pod_sets.push_back(ps);
  }
  return info;
}

PodSet* RuntimeInfo::FindPodSetByAncestor(const std::string& ancestor) {
  for (PodSet& ps : pod_sets) {
    if (ps.ancestor == ancestor) return &ps;
  }
  return nullptr;
}

const PodSet* RuntimeInfo::FindPodSetByAncestor(const std::string& ancestor) const {
  return const_cast<RuntimeInfo*>(this)->FindPodSetByAncestor(ancestor);
}

ReplicatedJob* RuntimeInfo::FindReplicatedJob(const std::string& name) {
  for (ReplicatedJob& rjob : template_spec.replicated_jobs) {
    if (rjob.name == name) return &rjob;
  }
  return nullptr;
}

const ReplicatedJob* RuntimeInfo::FindReplicatedJob(const std::string& name) const {
  return const_cast<RuntimeInfo*>(this)->FindReplicatedJob(name);
}

Container* RuntimeInfo::FindContainerByAncestor(const std::string& ancestor,
                                                const std::string& container) {
  for (ReplicatedJob& rjob : template_spec.replicated_jobs) {
    if (AncestorOf(rjob) != ancestor) continue;
    for (Container& c : rjob.template_.spec.template_.spec.containers) {
      if (c.name == container) return &c;
    }
    return nullptr;
  }
  return nullptr;
}

void UpsertEnvVar(std::vector<EnvVar>* env, const EnvVar& var) {
  for (EnvVar& e : *env) {
    if (e.name == var.name) {
      e = var;
      return;
    }
  }
  env->push_back(var);
}

void UpsertEnvVars(std::vector<EnvVar>* env, const std::vector<EnvVar>& vars) {
  for (const EnvVar& v : vars)
    UpsertEnvVar(env, v);
}

}  // namespace ptsim
