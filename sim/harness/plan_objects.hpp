// What a RunPlan can create, for the checks that need the whole plan
// (CheckPlanReferences): every pod by name with its labels (a job's replicas
// up to the most it may scale to), the replica types, the nodes and the
// PyTorchJobs. Plain data, built once per plan; any thread.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/harness/run_plan.hpp"

namespace ptsim {

struct PlanObjects {
  std::map<std::string, Labels> pods;
  std::set<std::string> types;
  std::set<std::string> nodes;
  std::vector<std::string> jobs;  // the PyTorchJobs by name, in the plan's order
  // The replicated jobs of the plan's JobSets: how many Jobs, and the most
  // completion indexes (pods) of one Job.
  struct ReplicatedJobShape {
    int jobs = 0;
    int pods_per_job = 0;
  };
  std::map<std::string, ReplicatedJobShape> replicated_jobs;

  // "a, b, c": every pod name, for messages.
  std::string KnownPods() const;
  // Why no PyTorchJob named `name` exists ("" when one does).
  std::string UnknownJob(const std::string& name) const;
  // The pod of replica `index` of `rtype` in the plan's first job, if it can exist.
  bool HasReplica(const std::string& rtype, int index) const;
};

// Whether a pod named `name` is the pod a plan lists as `planned`: the same
// name, or, for a planned name ending in `-*` (a pod a controller names with
// generateName, such as a Job's), that prefix and a 5-character suffix.
bool MatchesPlannedPodName(const std::string& planned, const std::string& name);

// A job's replica indexes go up to the most its type may reach: its replicas,
// the elastic maximum, or the largest scale fault aimed at it.
PlanObjects WhatThePlanCanCreate(const RunPlan& plan);

}  // namespace ptsim
