#include "sim/harness/expectations/job_ref.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/harness/report_fields.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

// A field of a job entry: under `metadata` when the entry has it, else at the top.
std::string MetadataField(const json& job, const char* key) {
  if (job.contains("metadata") && job["metadata"].is_object()) {
    return StringField(job["metadata"], key);
  }
  return StringField(job, key);
}

bool Matches(const JobRef& ref, const json& job) {
  if (!job.is_object()) return false;
  const std::string kind = StringField(job, "kind");
  if (!ref.kind.empty() && ref.kind != (kind.empty() ? "PyTorchJob" : kind)) return false;
  if (!ref.namespace_.empty() && MetadataField(job, "namespace") != ref.namespace_) return false;
  return ref.name.empty() || MetadataField(job, "name") == ref.name;
}

const json& ArrayAt(const json& j, const char* key) {
  static const json kEmpty = json::array();
  return j.is_object() && j.contains(key) && j[key].is_array() ? j[key] : kEmpty;
}

}  // namespace

std::string JobRef::Describe() const {
  return name.empty() ? "the job" : "the job " + name;
}

const json* FindJob(const json& report, const JobRef& ref) {
  if (report.contains("jobs") && report["jobs"].is_array()) {
    for (const auto& job : report["jobs"]) {
      if (Matches(ref, job)) return &job;
    }
    return nullptr;
  }
  if (report.contains("job") && Matches(ref, report["job"])) return &report["job"];
  return nullptr;
}

const json& JobConditions(const json& job) {
  static const json kNone;
  return ArrayAt(job.contains("status") ? job["status"] : kNone, "conditions");
}

const json& JobConditionHistory(const json& job) {
  return ArrayAt(job, "conditionHistory");
}

std::optional<double> JobDeletedAt(const json& job) {
  if (job.contains("deletedAt") && job["deletedAt"].is_number()) {
    return job["deletedAt"].get<double>();
  }
  return std::nullopt;
}

void CheckJobReference(const JobRef& ref, const PlanFacts& plan, ReferenceProblems* out) {
  if (plan.jobs.empty()) {
    out->push_back({"", "this run has no PyTorchJob"});
    return;
  }
  if (ref.name.empty() ||
      std::find(plan.jobs.begin(), plan.jobs.end(), ref.name) != plan.jobs.end()) {
    return;
  }
  out->push_back({"job", fmt::format("no PyTorchJob named \"{}\" in this run; jobs: {}", ref.name,
                                     fmt::join(plan.jobs, ", "))});
}

}  // namespace ptsim
