#include "sim/harness/faults/fault_references.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/model/label_selector.hpp"

namespace ptsim {
namespace {

// target.job is for job faults, which need a job to edit.
void CheckJob(const FaultSpec& f, const PlanObjects& plan, Diagnostics* diagnostics) {
  const std::string object = fmt::format("fault \"{}\"", f.name);
  const FaultTarget& t = f.target;
  if (!f.action->job_level()) {
    if (t.job.empty()) return;
    diagnostics->Error(
        f.where, object, "target.job",
        fmt::format("target.job is for {}; pick pods by pod, replicaType, selector or node",
                    FaultActionNames([](const FaultAction& a) { return a.job_level(); })));
    return;
  }
  const std::string problem = plan.jobs.empty() ? "this run has no PyTorchJob to edit"
                              : t.job.empty()   ? ""
                                                : plan.UnknownJob(t.job);
  if (!problem.empty()) diagnostics->Error(f.where, object, "target.job", problem);
  if (f.action->argument() == FaultArgument::kReplicas && t.replica_type.empty()) {
    diagnostics->Error(
        f.where, object, "target.replicaType",
        fmt::format("{} needs target.replicaType, the replica type to scale", f.action->name()));
  }
}

void CheckSelector(const FaultSpec& f, const PlanObjects& plan, Diagnostics* diagnostics) {
  const FaultTarget& t = f.target;
  if (t.selector.empty()) return;
  const std::string object = fmt::format("fault \"{}\"", f.name);
  auto selector = LabelSelector::Parse(t.selector);
  for (const auto& d : selector.diagnostics().items())
    diagnostics->Error(f.where, object, "target.selector", d.message);
  if (!selector.ok()) return;
  for (const auto& [name, labels] : plan.pods) {
    if (selector->Matches(labels)) return;
  }
  diagnostics->Error(f.where, object, "target.selector",
                     fmt::format("selector \"{}\" matches no pod of this run", t.selector));
}

}  // namespace

void CheckFaultReferences(const FaultSpec& f, const PlanObjects& plan, Diagnostics* diagnostics) {
  const std::string object = fmt::format("fault \"{}\"", f.name);
  const FaultTarget& t = f.target;
  CheckJob(f, plan, diagnostics);
  const bool pod_can_exist = std::any_of(plan.pods.begin(), plan.pods.end(), [&](const auto& p) {
    return MatchesPlannedPodName(p.first, t.pod);
  });
  if (!t.pod.empty() && !pod_can_exist) {
    diagnostics->Error(f.where, object, "target.pod",
                       fmt::format("no pod named \"{}\" can exist in this run; pods: {}", t.pod,
                                   plan.KnownPods()));
  }
  if (!t.replica_type.empty() && !plan.types.count(t.replica_type)) {
    diagnostics->Error(f.where, object, "target.replicaType",
                       fmt::format("the job has no {} replicas", t.replica_type));
  }
  if (t.replica_index && !t.replica_type.empty() &&
      !plan.HasReplica(t.replica_type, *t.replica_index)) {
    diagnostics->Error(
        f.where, object, "target.replicaIndex",
        fmt::format("the job has no {} replica with index {}", t.replica_type, *t.replica_index));
  }
  if (!t.replicated_job.empty()) {
    const auto rjob = plan.replicated_jobs.find(t.replicated_job);
    if (rjob == plan.replicated_jobs.end()) {
      diagnostics->Error(
          f.where, object, "target.replicatedJob",
          fmt::format("no JobSet of this run has a replicated job named \"{}\"", t.replicated_job));
    } else {
      if (t.job_index && *t.job_index >= rjob->second.jobs) {
        diagnostics->Error(f.where, object, "target.jobIndex",
                           fmt::format("replicated job {} has {} Job(s), indexes 0 to {}",
                                       t.replicated_job, rjob->second.jobs, rjob->second.jobs - 1));
      }
      if (t.pod_index && *t.pod_index >= rjob->second.pods_per_job) {
        diagnostics->Error(f.where, object, "target.podIndex",
                           fmt::format("the Jobs of replicated job {} have {} pod(s), indexes 0 "
                                       "to {}",
                                       t.replicated_job, rjob->second.pods_per_job,
                                       rjob->second.pods_per_job - 1));
      }
    }
  }
  if (!t.node.empty() && !plan.nodes.count(t.node)) {
    diagnostics->Error(f.where, object, "target.node",
                       fmt::format("no node named \"{}\" in the cluster", t.node));
  }
  CheckSelector(f, plan, diagnostics);
  if (f.action->scope() == FaultScope::kNodes && t.node.empty() && t.pod.empty() &&
      t.replica_type.empty() && t.replicated_job.empty() && t.selector.empty()) {
    diagnostics->Error(f.where, object, "target",
                       "a node fault needs a node (or a pod whose node it hits)");
  }
}

}  // namespace ptsim
