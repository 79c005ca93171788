#include "sim/harness/plan_objects.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fakes/operator/job_naming.hpp"
#include "sim/model/batch_job_defaults.hpp"
#include "sim/model/pytorchjob_defaults.hpp"

namespace ptsim {
namespace {

// The most replicas of `rtype` that `job` may have during the run.
int MostReplicas(const RunPlan& plan, const PyTorchJob& job, const std::string& rtype,
                 int replicas) {
  int most = replicas;
  if (job.spec.elastic_policy && job.spec.elastic_policy->max_replicas) {
    most = std::max(most, *job.spec.elastic_policy->max_replicas);
  }
  for (const auto& f : plan.faults) {
    if (f.action->argument() != FaultArgument::kReplicas || f.target.replica_type != rtype) {
      continue;
    }
    if (!f.target.job.empty() && f.target.job != job.metadata.name) continue;
    most = std::max(most, f.replicas);
  }
  return most;
}

void AddJobPods(const RunPlan& plan, const PyTorchJob& job, PlanObjects* out) {
  for (const auto& [rtype, spec] : *job.spec.pytorch_replica_specs) {
    out->types.insert(rtype);
    const int most = MostReplicas(plan, job, rtype, spec.replicas.value_or(1));
    for (int i = 0; i < most; ++i) {
      Labels labels = spec.template_.metadata.labels;
      for (const auto& [k, v] : GenLabels(job.metadata.name))
        labels[k] = v;
      labels[kReplicaTypeLabel] = ToLower(rtype);
      labels[kReplicaIndexLabel] = std::to_string(i);
      out->pods[GenGeneralName(job.metadata.name, rtype, i)] = labels;
    }
  }
}

// A batch/v1 Job's pods have generated names: they are listed as
// "<job>-<random>" or "<job>-<index>-<random>", with the labels the Job
// controller gives them (the controller-uid labels are unknown before the run).
void AddBatchJobPods(const BatchJob& written, PlanObjects* out) {
  const BatchJob job = SetDefaults_Job(written);
  Labels labels = job.spec.template_.metadata.labels;
  labels[kBatchJobNameLabel] = job.metadata.name;
  labels[kLegacyJobNameLabel] = job.metadata.name;
  if (job.spec.completion_mode.value_or("") != "Indexed") {
    out->pods[job.metadata.name + "-<random>"] = labels;
    return;
  }
  for (std::int32_t i = 0; i < job.spec.completions.value_or(0); ++i) {
    Labels indexed = labels;
    indexed[kJobCompletionIndexAnnotation] = std::to_string(i);
    out->pods[fmt::format("{}-{}-<random>", job.metadata.name, i)] = indexed;
  }
}

}  // namespace

PlanObjects WhatThePlanCanCreate(const RunPlan& plan) {
  PlanObjects out;
  for (const auto& p : plan.pods)
    out.pods[p.metadata.name] = p.metadata.labels;
  for (const auto& entry : plan.jobs) {
    out.jobs.push_back(entry.name());
    const PyTorchJob* written = entry.As<PyTorchJob>();
    if (written && written->spec.pytorch_replica_specs)
      AddJobPods(plan, SetDefaults_PyTorchJob(*written), &out);
    if (const BatchJob* batch = entry.As<BatchJob>()) AddBatchJobPods(*batch, &out);
  }
  for (const auto& n : plan.nodes)
    out.nodes.insert(n.name);
  return out;
}

std::string PlanObjects::KnownPods() const {
  std::vector<std::string> names;
  for (const auto& [name, labels] : pods)
    names.push_back(name);
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string PlanObjects::UnknownJob(const std::string& name) const {
  if (std::find(jobs.begin(), jobs.end(), name) != jobs.end()) return "";
  return fmt::format("no PyTorchJob named \"{}\" in this run; jobs: {}", name,
                     fmt::join(jobs, ", "));
}

bool PlanObjects::HasReplica(const std::string& rtype, int index) const {
  return pods.count(GenGeneralName(jobs.empty() ? "" : jobs.front(), rtype, index)) > 0;
}

}  // namespace ptsim
