#include "sim/harness/trainjob_kind.hpp"

#include <fmt/format.h>

#include "fakes/trainer/default_runtime.hpp"
#include "fakes/trainer/trainjob_status.hpp"
#include "fakes/trainer/trainjob_webhook.hpp"
#include "sim/core/go_quote.hpp"
#include "sim/harness/report_json.hpp"
#include "sim/model/trainjob_codec.hpp"
#include "sim/model/trainjob_validation.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

const TrainJob& Of(const AnyJob& job) {
  return *job.As<TrainJob>();
}

// Where a field of a document was written: the deepest node of `path`
// ("spec.runtimeRef") present, else the document. (Node::reset, not
// assignment: assigning a yaml-cpp node rewrites the node it refers to.)
SourceLocation Where(DecodeContext& ctx, const YAML::Node& doc,
                     std::initializer_list<const char*> path) {
  YAML::Node node;
  node.reset(doc);
  for (const char* key : path) {
    if (!node.IsMap() || !node[key]) break;
    YAML::Node next = node[key];
    node.reset(next);
  }
  return ctx.Where(node);
}

json ConditionJson(const JobSetCondition& c) {
  return {{"type", c.type},
          {"status", c.status},
          {"reason", c.reason},
          {"message", c.message},
          {"lastTransitionTime", TimeJson(c.last_transition_time)}};
}

class TrainJobKindImpl final : public JobKind {
 public:
  std::string_view kind() const override { return TrainJob::kKind; }
  std::string_view api_version() const override { return TrainJob::kApiVersion; }

  PlannedJob Decode(DecodeContext& ctx, const YAML::Node& document, OperatorVersion,
                    std::vector<PlanNote>*) const override {
    PlannedJob entry;
    entry.kind = this;
    std::string name;
    const YAML::Node& d = document;
    if (d["metadata"].IsMap() && d["metadata"]["name"].IsScalar())
      name = d["metadata"]["name"].Scalar();
    ctx.set_object(name.empty() ? "TrainJob" : fmt::format("TrainJob {}", GoQuote(name)));
    TrainJob tj;
    const int errors_before = ctx.diagnostics().errors();
    {
      MapReader m(ctx, document, "");
      if (m.ok()) DecodeTrainJob(m, &tj);
    }
    entry.locations["spec.runtimeRef"] = Where(ctx, d, {"spec", "runtimeRef"});
    entry.locations["spec.trainer.env"] = Where(ctx, d, {"spec", "trainer", "env"});
    entry.locations["spec.initializer"] = Where(ctx, d, {"spec", "initializer"});
    entry.locations["spec.runtimePatches"] = Where(ctx, d, {"spec", "runtimePatches"});
    entry.locations["metadata.name"] = Where(ctx, d, {"metadata", "name"});
    entry.locations["spec"] = Where(ctx, d, {"spec"});
    if (ctx.diagnostics().errors() == errors_before) {
      for (const FieldError& e : ValidateTrainJobCrd(tj)) {
        ctx.diagnostics().Error(LocateField(entry.locations, e.field), ctx.object(), e.field,
                                fmt::format("TrainJob.trainer.kubeflow.org {} is invalid: {}",
                                            GoQuote(tj.metadata.name), e.Render()));
      }
    }
    if (const YAML::Node spec = d["spec"]; spec) entry.spec = YamlToJson(spec).value_or(json());
    entry.object = AnyJob(std::make_shared<const TrainJob>(std::move(tj)));
    return entry;
  }

  std::vector<JobPodTemplate> PodTemplates(const PlannedJob&) const override {
    return {};  // the pods come from the runtime's template, checked with it
  }

  Diagnostics Create(Simulation& sim, const PlannedJob& entry) const override {
    return sim.api().collection<TrainJob>().Create(*entry.As<TrainJob>()).diagnostics();
  }

  bool Settled(Simulation& sim, const std::string& ns, const std::string& name) const override {
    auto tj = sim.api().collection<TrainJob>().Get(ns, name);
    if (!tj) return true;
    if (!IsTrainJobFinished(tj->status)) return false;
    // A finished JobSet with a TTL is still to be deleted (and, in v2.3.0,
    // its failed TrainJob then builds a new one: kubeflow/trainer#3779).
    auto js = sim.api().collection<JobSet>().Get(ns, name);
    return !js || !js->spec.ttl_seconds_after_finished.has_value();
  }

  std::vector<AnyJob> List(Simulation& sim) const override {
    std::vector<AnyJob> out;
    for (auto& tj : sim.api().collection<TrainJob>().List())
      out.emplace_back(std::move(tj));
    return out;
  }

  void Delete(Simulation& sim, const AnyJob& job) const override {
    sim.api().collection<TrainJob>().Delete(job.metadata().namespace_, job.metadata().name);
  }

  void Watch(ApiServer& api, WatchFn on_change) const override {
    api.collection<TrainJob>().Watch([on_change](const WatchEvent<TrainJob>& e) {
      on_change(AnyJob(e.object), AnyJob(e.old), e.type == WatchEventType::kDeleted);
    });
  }

  std::vector<JobCondition> Conditions(const AnyJob& job) const override {
    std::vector<JobCondition> out;
    for (const JobSetCondition& c : Of(job).status.conditions) {
      out.push_back(
          {c.type, c.status, c.reason, c.message, c.last_transition_time, c.last_transition_time});
    }
    return out;
  }

  json StatusJson(const AnyJob& any) const override {
    const TrainJobStatus& status = Of(any).status;
    json conditions = json::array();
    for (const auto& c : status.conditions)
      conditions.push_back(ConditionJson(c));
    json jobs = json::array();
    for (const auto& j : status.jobs_status) {
      jobs.push_back({{"name", j.name},
                      {"ready", j.ready},
                      {"succeeded", j.succeeded},
                      {"failed", j.failed},
                      {"active", j.active},
                      {"suspended", j.suspended}});
    }
    return {{"conditions", conditions}, {"jobsStatus", jobs}};
  }

  std::string Patch(Simulation& sim, const AnyJob& any, const JobPatch& patch) const override {
    const TrainJob& tj = Of(any);
    if (patch.replicas) {
      return "a TrainJob has no replica types to scale; its trainer.numNodes is immutable";
    }
    TrainJob next = tj;
    if (patch.suspend) next.spec.suspend = *patch.suspend;
    if (auto errors = ValidateTrainJobUpdate(tj, next); !errors.empty()) {
      return fmt::format("TrainJob.trainer.kubeflow.org {} is invalid: {}",
                         GoQuote(tj.metadata.name), AggregateFieldErrors(errors));
    }
    sim.api().collection<TrainJob>().Mutate(tj.metadata.namespace_, tj.metadata.name,
                                            [&](TrainJob& stored) { stored.spec = next.spec; });
    return "";
  }
};

const TrainingRuntimeSpec* Resolve(const RunPlan& plan, const ClusterTrainingRuntime& builtin,
                                   const std::string& kind, const std::string& ns,
                                   const std::string& name) {
  if (kind == ClusterTrainingRuntime::kKind) {
    for (const auto& rt : plan.cluster_training_runtimes) {
      if (rt.metadata.name == name) return &rt.spec;
    }
    return name == builtin.metadata.name ? &builtin.spec : nullptr;
  }
  for (const auto& rt : plan.training_runtimes) {
    if (rt.metadata.name == name && rt.metadata.namespace_ == ns) return &rt.spec;
  }
  return nullptr;
}

}  // namespace

const JobKind& TrainJobKind() {
  static const TrainJobKindImpl kind;
  return kind;
}

void AddTrainingRuntime(DecodeContext& ctx, const YAML::Node& document, RunPlan* plan) {
  const YAML::Node& d = document;
  std::string name;
  if (d["metadata"].IsMap() && d["metadata"]["name"].IsScalar())
    name = d["metadata"]["name"].Scalar();
  const bool cluster = d["kind"].IsScalar() && d["kind"].Scalar() == ClusterTrainingRuntime::kKind;
  const char* kind = cluster ? ClusterTrainingRuntime::kKind : TrainingRuntime::kKind;
  ctx.set_object(name.empty() ? kind : fmt::format("{} {}", kind, GoQuote(name)));
  const int errors_before = ctx.diagnostics().errors();
  TrainingRuntime rt;
  ClusterTrainingRuntime crt;
  {
    MapReader m(ctx, document, "");
    if (!m.ok()) return;
    if (cluster) {
      DecodeClusterTrainingRuntime(m, &crt);
    } else {
      DecodeTrainingRuntime(m, &rt);
    }
  }
  if (ctx.diagnostics().errors() != errors_before) return;
  const TrainingRuntimeSpec& spec = cluster ? crt.spec : rt.spec;
  for (const FieldError& e : ValidateTrainingRuntimeSpec(spec)) {
    ctx.diagnostics().Error(
        ctx.Where(d["spec"] ? d["spec"] : d), ctx.object(), e.field,
        fmt::format("admission webhook \"validator.{}.trainer.kubeflow.org\" "
                    "denied the request: {}",
                    cluster ? "clustertrainingruntime" : "trainingruntime", e.Render()));
  }
  if (cluster) {
    plan->cluster_training_runtimes.push_back(std::move(crt));
  } else {
    plan->training_runtimes.push_back(std::move(rt));
  }
}

void CheckTrainJobs(const RunPlan& plan, Diagnostics* diagnostics) {
  const ClusterTrainingRuntime builtin = TorchDistributedRuntime();
  for (const PlannedJob& entry : plan.jobs) {
    const TrainJob* tj = entry.As<TrainJob>();
    if (tj == nullptr) continue;
    const auto errors = ValidateTrainJobWithRuntime(
        *tj, [&](const std::string& kind, const std::string& ns, const std::string& name) {
          return Resolve(plan, builtin, kind, ns, name);
        });
    for (const AdmissionError& e : errors) {
      std::string field = e.field;
      SourceLocation where = LocateField(entry.locations, field.empty() ? "spec" : field);
      if (field == "spec.RuntimeRef") where = LocateField(entry.locations, "spec.runtimeRef");
      diagnostics->Error(where, JobLabel(entry), field,
                         fmt::format("admission webhook \"{}\" denied the request: {}",
                                     kTrainJobWebhookName, e.message));
    }
  }
}

void CreateTrainingRuntimes(Simulation& sim, const RunPlan& plan) {
  bool has_default = false;
  for (const auto& rt : plan.cluster_training_runtimes) {
    has_default = has_default || rt.metadata.name == kDefaultRuntimeName;
    (void)sim.api().collection<ClusterTrainingRuntime>().Create(rt);
  }
  if (!has_default) {
    (void)sim.api().collection<ClusterTrainingRuntime>().Create(TorchDistributedRuntime());
  }
  for (const auto& rt : plan.training_runtimes) {
    (void)sim.api().collection<TrainingRuntime>().Create(rt);
  }
}

}  // namespace ptsim
