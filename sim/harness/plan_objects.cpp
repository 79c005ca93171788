#include "sim/harness/plan_objects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "fakes/operator/job_naming.hpp"
#include "sim/model/batch_job_defaults.hpp"
#include "sim/model/jobset.hpp"
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
// "<job>-*" or "<job>-<index>-*" (`*` for the random suffix, as a JobSet's
// pods are), with the labels the Job
// controller gives them (the controller-uid labels are unknown before the run).
void AddBatchJobPods(const BatchJob& written, PlanObjects* out) {
  const BatchJob job = SetDefaults_Job(written);
  Labels labels = job.spec.template_.metadata.labels;
  labels[kBatchJobNameLabel] = job.metadata.name;
  labels[kLegacyJobNameLabel] = job.metadata.name;
  if (job.spec.completion_mode.value_or("") != "Indexed") {
    out->pods[job.metadata.name + "-*"] = labels;
    return;
  }
  for (std::int32_t i = 0; i < job.spec.completions.value_or(0); ++i) {
    Labels indexed = labels;
    indexed[kJobCompletionIndexAnnotation] = std::to_string(i);
    out->pods[fmt::format("{}-{}-*", job.metadata.name, i)] = indexed;
  }
}

// A JobSet's pods, named by their hostname with `-*` for the Job
// controller's random suffix, labelled as the JobSet and Job controllers
// label them.
void AddJobSetPods(const JobSet& js, PlanObjects* out) {
  for (const auto& rjob : js.spec.replicated_jobs) {
    const int jobs = rjob.replicas.value_or(1);
    const auto& spec = rjob.template_.spec;
    const int pods = spec.completions.value_or(spec.parallelism.value_or(1));
    auto& shape = out->replicated_jobs[rjob.name];
    shape.jobs = std::max(shape.jobs, jobs);
    shape.pods_per_job = std::max(shape.pods_per_job, pods);
    for (int j = 0; j < jobs; ++j) {
      for (int p = 0; p < pods; ++p) {
        Labels labels = spec.template_.metadata.labels;
        labels[kJobSetNameKey] = js.metadata.name;
        labels[kReplicatedJobNameKey] = rjob.name;
        labels[kJobIndexKey] = std::to_string(j);
        labels[kJobCompletionIndexAnnotation] = std::to_string(p);
        out->pods[fmt::format("{}-{}-{}-{}-*", js.metadata.name, rjob.name, j, p)] = labels;
      }
    }
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
    if (const JobSet* js = entry.As<JobSet>()) AddJobSetPods(*js, &out);
  }
  for (const auto& n : plan.nodes)
    out.nodes.insert(n.name);
  return out;
}

bool MatchesPlannedPodName(const std::string& planned, const std::string& name) {
  if (planned == name) return true;
  if (planned.size() < 2 || planned.compare(planned.size() - 2, 2, "-*") != 0) return false;
  const std::size_t prefix = planned.size() - 1;  // up to and with the '-'
  if (name.size() != prefix + 5 || name.compare(0, prefix, planned, 0, prefix) != 0) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix), name.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c));
  });
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
