#include "sim/harness/pytorchjob_kind.hpp"

#include <fmt/format.h>

#include "sim/harness/likely_typos.hpp"
#include "sim/harness/manifest_paths.hpp"
#include "sim/harness/report_json.hpp"
#include "sim/model/pytorchjob_crd_validation.hpp"
#include "sim/model/pytorchjob_validation.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

const PyTorchJob& Of(const AnyJob& job) {
  return *job.As<PyTorchJob>();
}

class PyTorchJobKindImpl final : public JobKind {
 public:
  std::string_view kind() const override { return PyTorchJob::kKind; }
  std::string_view api_version() const override { return "kubeflow.org/v1"; }

  PlannedJob Decode(DecodeContext& ctx, const YAML::Node& document, OperatorVersion version,
                    std::vector<PlanNote>* notes) const override {
    PyTorchJob job;
    PlannedJob entry;
    entry.kind = this;
    ctx.set_object("");
    const int errors_before = ctx.diagnostics().errors();
    DecodePyTorchJob(ctx, document, &job, &entry.locations);
    if (ctx.diagnostics().errors() == errors_before) {
      ctx.diagnostics().Append(
          DiagnosePyTorchJobCreate(job, entry.locations, version, ctx.object()));
      CheckLikelyTypos(job, entry.locations, ctx.object(), &ctx.diagnostics(), notes);
    }
    if (job.spec.pytorch_replica_specs) {
      for (auto& [type, spec] : *job.spec.pytorch_replica_specs)
        ResolveWorkingDirs(&spec.template_.spec, ctx.file());
    }
    // A missing key of a const node is an invalid node that YamlToJson may not
    // walk: a job without spec has already been reported by the decoder.
    const YAML::Node& d = document;
    if (const YAML::Node spec = d["spec"]; spec) entry.spec = YamlToJson(spec).value_or(json());
    entry.object = AnyJob(std::make_shared<const PyTorchJob>(std::move(job)));
    return entry;
  }

  std::vector<JobPodTemplate> PodTemplates(const PlannedJob& entry) const override {
    std::vector<JobPodTemplate> out;
    const PyTorchJob* job = entry.As<PyTorchJob>();
    if (!job || !job->spec.pytorch_replica_specs) return out;
    for (const auto& [rtype, spec] : *job->spec.pytorch_replica_specs)
      out.push_back({fmt::format("spec.pytorchReplicaSpecs[{}].template", rtype), &spec.template_});
    return out;
  }

  Diagnostics Create(Simulation& sim, const PlannedJob& entry) const override {
    const PyTorchJob& job = *entry.As<PyTorchJob>();
    auto created = sim.api().collection<PyTorchJob>().Create(job);
    const auto& specs = job.spec.pytorch_replica_specs;
    if (specs && !specs->count(kReplicaTypeMaster) && !job.spec.elastic_policy) {
      sim.notes().Add(
          sim.loop().Now(),
          fmt::format("PyTorchJob {} has no Master and no elasticPolicy: the operator sets no "
                      "MASTER_ADDR, MASTER_PORT, WORLD_SIZE or RANK in its pods",
                      job.metadata.name),
          "kubeflow/training-operator#1991");
    }
    return created.diagnostics();
  }

  bool Settled(Simulation& sim, const std::string& ns, const std::string& name) const override {
    return sim.controller().Settled(ns, name);
  }

  std::vector<AnyJob> List(Simulation& sim) const override {
    std::vector<AnyJob> out;
    for (auto& job : sim.api().collection<PyTorchJob>().List())
      out.emplace_back(std::move(job));
    return out;
  }

  void Delete(Simulation& sim, const AnyJob& job) const override {
    sim.api().collection<PyTorchJob>().Delete(job.metadata().namespace_, job.metadata().name);
  }

  void Watch(ApiServer& api, WatchFn on_change) const override {
    api.collection<PyTorchJob>().Watch([on_change](const WatchEvent<PyTorchJob>& e) {
      on_change(AnyJob(e.object), AnyJob(e.old), e.type == WatchEventType::kDeleted);
    });
  }

  std::vector<JobCondition> Conditions(const AnyJob& job) const override {
    return Of(job).status.conditions;
  }

  json StatusJson(const AnyJob& any) const override {
    const JobStatus& status = Of(any).status;
    json conditions = json::array();
    for (const auto& c : status.conditions)
      conditions.push_back(JobConditionJson(c));
    json replicas = json::object();
    for (const auto& [rtype, rs] : status.replica_statuses) {
      replicas[rtype] = {{"active", rs.active},
                         {"succeeded", rs.succeeded},
                         {"failed", rs.failed},
                         {"selector", rs.selector}};
    }
    return {{"conditions", conditions},
            {"replicaStatuses", replicas},
            {"startTime", TimeJson(status.start_time)},
            {"completionTime", TimeJson(status.completion_time)}};
  }

  std::string Patch(Simulation& sim, const AnyJob& any, const JobPatch& patch) const override {
    const PyTorchJob& job = Of(any);
    PyTorchJob next = job;
    if (patch.suspend) next.spec.run_policy.suspend = *patch.suspend;
    if (patch.replicas && next.spec.pytorch_replica_specs) {
      auto it = next.spec.pytorch_replica_specs->find(patch.replica_type);
      if (it != next.spec.pytorch_replica_specs->end()) it->second.replicas = *patch.replicas;
    }
    // The API server checks the CRD's rules, then the validating webhook of the
    // emulated release admits the update (or, from v1.9.0 to v1.9.4, compares
    // the new object with itself,
    // docs/upstream/training-operator.md#validateupdate-compares-the-new-object-with-itself).
    const OperatorVersion version = sim.options().operator_version;
    if (auto invalid = ValidateCrdUpdate(job, next, version); !invalid.empty()) {
      return CrdInvalidMessage(job.metadata.name, invalid);
    }
    if (auto admission = WebhookValidateUpdate(job, next, version); !admission.allowed()) {
      return admission.DenialMessage();
    }
    sim.api().collection<PyTorchJob>().Mutate(job.metadata.namespace_, job.metadata.name,
                                              [&](PyTorchJob& stored) { stored.spec = next.spec; });
    return "";
  }
};

}  // namespace

const JobKind& PyTorchJobKind() {
  static const PyTorchJobKindImpl kind;
  return kind;
}

}  // namespace ptsim
