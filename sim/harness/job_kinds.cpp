// The registry of job kinds (job_kind.hpp) and JobKind's non-virtual helpers.
#include <fmt/format.h>

#include "sim/harness/batchjob_kind.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/harness/jobset_kind.hpp"
#include "sim/harness/pytorchjob_kind.hpp"
#include "sim/harness/trainjob_kind.hpp"

namespace ptsim {

const std::vector<const JobKind*>& JobKinds() {
  static const std::vector<const JobKind*> kinds = {
      &PyTorchJobKind(),  // kubeflow.org/v1 (pytorchjob_kind.cpp)
      &BatchJobKind(),    // batch/v1 (batchjob_kind.cpp)
      &JobSetKind(),      // jobset.x-k8s.io/v1alpha2 (jobset_kind.cpp)
      &TrainJobKind(),    // trainer.kubeflow.org/v1alpha1 (trainjob_kind.cpp)
  };
  return kinds;
}

const JobKind* FindJobKind(std::string_view api_version, std::string_view kind) {
  for (const JobKind* k : JobKinds()) {
    if (k->kind() == kind && k->api_version() == api_version) return k;
  }
  return nullptr;
}

std::string JobKind::Suspend(Simulation& sim, const AnyJob& job) const {
  return Patch(sim, job, {true, "", std::nullopt});
}

std::string JobKind::Resume(Simulation& sim, const AnyJob& job) const {
  return Patch(sim, job, {false, "", std::nullopt});
}

std::string JobKind::Scale(Simulation& sim, const AnyJob& job, const std::string& replica_type,
                           int replicas) const {
  return Patch(sim, job, {std::nullopt, replica_type, replicas});
}

std::string JobLabel(const PlannedJob& job) {
  return fmt::format("{} \"{}\"", job.kind->kind(), job.name());
}

const PlannedJob* FindPlannedJob(const RunPlan& plan, const JobKind& kind, const std::string& ns,
                                 const std::string& name) {
  for (const auto& entry : plan.jobs) {
    if (entry.kind == &kind && entry.namespace_() == ns && entry.name() == name) return &entry;
  }
  return nullptr;
}

bool IsDeferred(const RunPlan& plan, const PlannedJob& job) {
  return plan.deferred.count(fmt::format("{}/{}", job.kind->kind(), job.name())) > 0;
}

}  // namespace ptsim
