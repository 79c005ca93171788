// Faults that edit a job as `kubectl patch` would: suspend, resume and scale
// (docs/scenarios.md#actions), on a job of any kind through its JobKind
// (job_kind.hpp). Each edit passes the admission the kind's API server and
// webhook apply (for a PyTorchJob, the CRD's rules and the validating webhook
// of the emulated release); an edit refused is not applied, and a note gives
// the API server's message.
#include <fmt/format.h>

#include "sim/harness/faults/fault_families.hpp"
#include "sim/harness/faults/fault_firing.hpp"
#include "sim/harness/job_kind.hpp"

namespace ptsim {
namespace {

// Whether a fault aimed at `t` edits `job`. Without target.job, the top-level
// jobs: those no job of another kind controls (a JobSet a TrainJob made is
// edited through its TrainJob).
bool Targets(const FaultTarget& t, const AnyJob& job) {
  const ObjectMeta& m = job.metadata();
  if (t.ns_given && m.namespace_ != t.ns) return false;
  if (!t.job.empty()) return m.name == t.job;
  const OwnerReference* owner = m.ControllerRef();
  return owner == nullptr || FindJobKind(owner->api_version, owner->kind) == nullptr;
}

class JobFaultAction : public FaultAction {
 public:
  FaultScope scope() const override { return FaultScope::kJob; }

  // Edits every job the target names, of every kind.
  std::vector<std::string> Fire(FaultFiring& firing) const final {
    std::vector<std::string> targets;
    for (const JobKind* kind : JobKinds()) {
      for (const AnyJob& job : kind->List(firing.sim)) {
        if (Targets(firing.spec.target, job)) targets.push_back(Patch(firing, *kind, job));
      }
    }
    return targets;
  }

 protected:
  virtual JobPatch Edit(const FaultSpec& f) const = 0;

 private:
  // Returns what the report lists: "<Kind>/<name>", with " (rejected)" when
  // admission refused the edit.
  std::string Patch(FaultFiring& firing, const JobKind& kind, const AnyJob& job) const {
    const std::string name = fmt::format("{}/{}", kind.kind(), job.metadata().name);
    const std::string denial = kind.Patch(firing.sim, job, Edit(firing.spec));
    if (denial.empty()) return name;
    firing.sim.notes().Add(firing.sim.loop().Now(),
                           fmt::format("fault \"{}\": the update of {} was rejected: {}",
                                       firing.spec.name, name, denial));
    return name + " (rejected)";
  }
};

class SuspendAction final : public JobFaultAction {
 public:
  std::string_view name() const override { return "suspend"; }

 protected:
  JobPatch Edit(const FaultSpec&) const override {
    JobPatch patch;
    patch.suspend = true;
    return patch;
  }
};

class ResumeAction final : public JobFaultAction {
 public:
  std::string_view name() const override { return "resume"; }

 protected:
  JobPatch Edit(const FaultSpec&) const override {
    JobPatch patch;
    patch.suspend = false;
    return patch;
  }
};

// The replicas of target.replicaType = `replicas` (for a PyTorchJob,
// spec.pytorchReplicaSpecs[target.replicaType].replicas).
class ScaleAction final : public JobFaultAction {
 public:
  std::string_view name() const override { return "scale"; }
  FaultArgument argument() const override { return FaultArgument::kReplicas; }
  std::vector<FaultTargetKind> target_kinds() const override {
    return {FaultTargetKind::kJob, FaultTargetKind::kReplicaType};
  }

 protected:
  JobPatch Edit(const FaultSpec& f) const override {
    JobPatch patch;
    patch.replica_type = f.target.replica_type;
    patch.replicas = f.replicas;
    return patch;
  }
};

}  // namespace

std::vector<const FaultAction*> JobFaultActions() {
  static const SuspendAction suspend{};
  static const ResumeAction resume{};
  static const ScaleAction scale{};
  return {&suspend, &resume, &scale};
}

}  // namespace ptsim
