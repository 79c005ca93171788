// Which job a job-level expectation (finalCondition, conditions,
// neverCondition, jobDeleted) is about, and the one way to find it in the
// report (docs/report.md): by kind, namespace and name among the report's
// top-level `jobs` when the report has that list, else its `job` (the run's
// first job). A `jobs` entry names itself in `metadata` (apiVersion/kind/
// metadata/status, as Kubernetes writes an object) or, as PyTorchJob entries
// do today, in top-level `name` and `namespace`; an entry without `kind` is a
// PyTorchJob. Plain data and functions; any thread.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/harness/expectations/plan_facts.hpp"

namespace ptsim {

struct JobRef {
  std::string kind;        // e.g. "PyTorchJob"; empty: any kind
  std::string namespace_;  // empty: any namespace
  std::string name;        // empty: the run's first job (of that kind and namespace)

  // "the job" or "the job NAME".
  std::string Describe() const;
};

// The job `ref` names in `report`, or nullptr when the report has none such.
const nlohmann::json* FindJob(const nlohmann::json& report, const JobRef& ref);

// Fields of a job found by FindJob, read safely: its `status.conditions`, its
// `conditionHistory` (empty arrays when absent), and when it was deleted.
const nlohmann::json& JobConditions(const nlohmann::json& job);
const nlohmann::json& JobConditionHistory(const nlohmann::json& job);
std::optional<double> JobDeletedAt(const nlohmann::json& job);

// Adds problems when the plan has no job, or none named `ref.name`.
void CheckJobReference(const JobRef& ref, const PlanFacts& plan, ReferenceProblems* out);

}  // namespace ptsim
