// Faults that edit the PyTorchJob as `kubectl patch` would: suspend, resume
// and scale (docs/scenarios.md#actions). Each edit passes the CRD's rules and
// the validating webhook of the emulated release first; an edit either
// refuses is not applied, and a note gives the API server's message.
#include <fmt/format.h>

#include "sim/harness/faults/fault_families.hpp"
#include "sim/harness/faults/fault_firing.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/model/pytorchjob_crd_validation.hpp"
#include "sim/model/pytorchjob_validation.hpp"

namespace ptsim {
namespace {

class JobFaultAction : public FaultAction {
 public:
  FaultScope scope() const override { return FaultScope::kJob; }

  // Edits every job the target names (target.job; by default every job).
  std::vector<std::string> Fire(FaultFiring& firing) const final {
    const FaultTarget& t = firing.spec.target;
    std::vector<std::string> targets;
    for (const auto& job : firing.sim.api().collection<PyTorchJob>().List()) {
      if (!t.job.empty() && job->metadata.name != t.job) continue;
      if (t.ns_given && job->metadata.namespace_ != t.ns) continue;
      targets.push_back(Patch(firing, *job));
    }
    // Jobs of the other kinds, through their JobKind's Patch (its schema and
    // webhook admit the update or say why not).
    for (const JobKind* kind : JobKinds()) {
      if (kind->kind() == PyTorchJob::kKind) continue;
      for (const AnyJob& job : kind->List(firing.sim)) {
        const ObjectMeta& m = job.metadata();
        if (!t.job.empty() && m.name != t.job) continue;
        if (t.ns_given && m.namespace_ != t.ns) continue;
        const std::string name = fmt::format("{}/{}", kind->kind(), m.name);
        const std::string denial = kind->Patch(firing.sim, job, AsPatch(firing.spec));
        if (denial.empty()) {
          targets.push_back(name);
          continue;
        }
        firing.sim.notes().Add(firing.sim.loop().Now(),
                               fmt::format("fault \"{}\": the update of {} was rejected: {}",
                                           firing.spec.name, name, denial));
        targets.push_back(name + " (rejected)");
      }
    }
    return targets;
  }

 protected:
  virtual void Edit(const FaultSpec& f, PyTorchJob* job) const = 0;
  // The same edit for a job of another kind.
  virtual JobPatch AsPatch(const FaultSpec& f) const = 0;

 private:
  // Returns what the report lists: "PyTorchJob/<name>", with " (rejected)"
  // when admission refused the edit.
  std::string Patch(FaultFiring& firing, const PyTorchJob& job) const {
    Simulation& sim = firing.sim;
    PyTorchJob next = job;
    Edit(firing.spec, &next);
    const std::string name = "PyTorchJob/" + job.metadata.name;
    // The API server checks the CRD's rules, then the validating webhook of the
    // emulated release admits the update (or, from v1.9.0 to v1.9.4, compares the
    // new object with itself,
    // docs/upstream/training-operator.md#validateupdate-compares-the-new-object-with-itself).
    const OperatorVersion version = sim.options().operator_version;
    std::string denial;
    if (auto invalid = ValidateCrdUpdate(job, next, version); !invalid.empty()) {
      denial = CrdInvalidMessage(job.metadata.name, invalid);
    } else if (auto admission = WebhookValidateUpdate(job, next, version); !admission.allowed()) {
      denial = admission.DenialMessage();
    }
    if (!denial.empty()) {
      sim.notes().Add(sim.loop().Now(),
                      fmt::format("fault \"{}\": the update of {} was rejected: {}",
                                  firing.spec.name, name, denial));
      return name + " (rejected)";
    }
    sim.api().collection<PyTorchJob>().Mutate(job.metadata.namespace_, job.metadata.name,
                                              [&](PyTorchJob& stored) { stored.spec = next.spec; });
    return name;
  }
};

class SuspendAction final : public JobFaultAction {
 public:
  std::string_view name() const override { return "suspend"; }

 protected:
  void Edit(const FaultSpec&, PyTorchJob* job) const override {
    job->spec.run_policy.suspend = true;
  }
  JobPatch AsPatch(const FaultSpec&) const override { return {true, "", std::nullopt}; }
};

class ResumeAction final : public JobFaultAction {
 public:
  std::string_view name() const override { return "resume"; }

 protected:
  void Edit(const FaultSpec&, PyTorchJob* job) const override {
    job->spec.run_policy.suspend = false;
  }
  JobPatch AsPatch(const FaultSpec&) const override { return {false, "", std::nullopt}; }
};

// spec.pytorchReplicaSpecs[target.replicaType].replicas = `replicas`.
class ScaleAction final : public JobFaultAction {
 public:
  std::string_view name() const override { return "scale"; }
  FaultArgument argument() const override { return FaultArgument::kReplicas; }
  std::vector<FaultTargetKind> target_kinds() const override {
    return {FaultTargetKind::kJob, FaultTargetKind::kReplicaType};
  }

 protected:
  void Edit(const FaultSpec& f, PyTorchJob* job) const override {
    if (!job->spec.pytorch_replica_specs) return;
    auto it = job->spec.pytorch_replica_specs->find(f.target.replica_type);
    if (it != job->spec.pytorch_replica_specs->end()) it->second.replicas = f.replicas;
  }
  JobPatch AsPatch(const FaultSpec& f) const override {
    return {std::nullopt, f.target.replica_type, f.replicas};
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
