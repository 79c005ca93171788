// What a run's plan can create, for expectations to check the objects they
// name before anything runs (CheckPlanReferences, scenario_loader.hpp, fills
// it): an expectation about a pod the run cannot create is an error at load
// time, not a failure after the run. Plain data and functions; any thread.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace ptsim {

struct PlanFacts {
  std::set<std::string> pods;           // every pod name the plan can create, scaling included
  std::set<std::string> replica_types;  // of its PyTorchJobs
  std::vector<std::string> jobs;        // its PyTorchJobs' names, in order
  std::vector<std::string> faults;      // its faults' names, in order
  bool flyte = false;                   // the run is a Flyte task
};

// Something an expectation names that the plan cannot create.
struct ReferenceProblem {
  std::string field;  // e.g. "job"; empty: the expectation as a whole
  std::string message;
};
using ReferenceProblems = std::vector<ReferenceProblem>;

// Adds a problem when the plan cannot create a pod named `name`.
void CheckPodName(const PlanFacts& plan, const std::string& name, ReferenceProblems* out);

}  // namespace ptsim
