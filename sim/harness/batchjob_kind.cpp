#include "sim/harness/batchjob_kind.hpp"

#include <fmt/format.h>

#include <tuple>

#include "fakes/job/job_conditions.hpp"
#include "sim/core/go_quote.hpp"
#include "sim/harness/manifest_paths.hpp"
#include "sim/harness/report_json.hpp"
#include "sim/model/batch_job_codec.hpp"
#include "sim/model/batch_job_defaults.hpp"
#include "sim/model/batch_job_validation.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

// The most completions of one Job ptsim simulates (the index sets it keeps
// are that large).
constexpr std::int32_t kMaxJobCompletions = 100000;

const BatchJob& Of(const AnyJob& job) {
  return *job.As<BatchJob>();
}

// Field paths as field.Path renders them, with the line of each key.
void RecordLocations(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                     bool keyed, FieldLocations* out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) continue;
      const std::string key = kv.first.Scalar();
      if (path.empty() && key == "status") continue;
      const std::string child = keyed ? KeyPath(path, key) : JoinPath(path, key);
      out->emplace(child, ctx.Where(kv.first));
      const bool map_of_keys = key == "labels" || key == "annotations" || key == "matchLabels" ||
                               key == "nodeSelector" || key == "limits" || key == "requests";
      RecordLocations(ctx, kv.second, child, !keyed && map_of_keys, out);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string child = IndexPath(path, i);
      out->emplace(child, ctx.Where(node[i]));
      RecordLocations(ctx, node[i], child, false, out);
    }
  }
}

json ConditionJson(const BatchJobCondition& c) {
  return {{"type", c.type},
          {"status", c.status},
          {"reason", c.reason},
          {"message", c.message},
          {"lastProbeTime", ToSeconds(c.last_probe_time)},
          {"lastTransitionTime", ToSeconds(c.last_transition_time)}};
}

class BatchJobKindImpl final : public JobKind {
 public:
  std::string_view kind() const override { return BatchJob::kKind; }
  std::string_view api_version() const override { return BatchJob::kApiVersion; }

  PlannedJob Decode(DecodeContext& ctx, const YAML::Node& document, OperatorVersion,
                    std::vector<PlanNote>*) const override {
    BatchJob job;
    PlannedJob entry;
    entry.kind = this;
    std::string name;
    if (document.IsMap() && document["metadata"] && document["metadata"].IsMap() &&
        document["metadata"]["name"] && document["metadata"]["name"].IsScalar()) {
      name = document["metadata"]["name"].Scalar();
    }
    ctx.set_object(name.empty() ? "Job" : fmt::format("Job {}", GoQuote(name)));
    entry.locations.emplace("", ctx.Where(document));
    RecordLocations(ctx, document, "", false, &entry.locations);
    const int errors_before = ctx.diagnostics().errors();
    {
      MapReader m(ctx, document, "");
      if (m.ok()) DecodeBatchJob(m, &job);
    }
    if (ctx.diagnostics().errors() == errors_before) {
      const YAML::Node& d = document;
      ValidatePodSpec(ctx, d["spec"]["template"], "spec.template.spec", job.spec.template_.spec);
      // What kube-apiserver checks on create: defaults, the generated
      // selector (a stand-in uid), ValidateJob.
      BatchJob defaulted = SetDefaults_Job(job);
      defaulted.metadata.uid = "00000000-0000-0000-0000-000000000000";
      GenerateJobSelector(&defaulted);
      for (const auto& e : ValidateBatchJob(defaulted)) {
        ctx.diagnostics().Error(LocateField(entry.locations, e.field), ctx.object(), e.field,
                                e.Body());
      }
      // ptsim's own bounds (upstream has none this low): a run of this kind
      // holds its pods and indexes in memory.
      for (const auto& [field, value, most] :
           {std::tuple{"spec.parallelism", job.spec.parallelism, kMaxReplicasPerType},
            std::tuple{"spec.completions", job.spec.completions, kMaxJobCompletions}}) {
        if (value && *value > most) {
          ctx.diagnostics().Error(
              LocateField(entry.locations, field), ctx.object(), field,
              fmt::format("Invalid value: {}: ptsim simulates at most {} here", *value, most));
        }
      }
    }
    ResolveWorkingDirs(&job.spec.template_.spec, ctx.file());
    const YAML::Node& d = document;
    if (const YAML::Node spec = d["spec"]; spec) entry.spec = YamlToJson(spec).value_or(json());
    entry.object = AnyJob(std::make_shared<const BatchJob>(std::move(job)));
    return entry;
  }

  std::vector<JobPodTemplate> PodTemplates(const PlannedJob& entry) const override {
    const BatchJob* job = entry.As<BatchJob>();
    if (!job) return {};
    return {{"spec.template", &job->spec.template_}};
  }

  Diagnostics Create(Simulation& sim, const PlannedJob& entry) const override {
    return sim.api().collection<BatchJob>().Create(*entry.As<BatchJob>()).diagnostics();
  }

  // Finished (Complete or Failed), and deleted when it has a TTL.
  bool Settled(Simulation& sim, const std::string& ns, const std::string& name) const override {
    auto job = sim.api().collection<BatchJob>().Get(ns, name);
    if (!job) return true;
    if (!IsJobFinished(job->status)) return false;
    return !job->spec.ttl_seconds_after_finished.has_value();
  }

  std::vector<AnyJob> List(Simulation& sim) const override {
    std::vector<AnyJob> out;
    for (auto& job : sim.api().collection<BatchJob>().List())
      out.emplace_back(std::move(job));
    return out;
  }

  void Delete(Simulation& sim, const AnyJob& job) const override {
    DeleteOptions options;
    options.propagation_policy = PropagationPolicy::kBackground;
    sim.api().collection<BatchJob>().Delete(job.metadata().namespace_, job.metadata().name,
                                            options);
  }

  void Watch(ApiServer& api, WatchFn on_change) const override {
    api.collection<BatchJob>().Watch([on_change](const WatchEvent<BatchJob>& e) {
      on_change(AnyJob(e.object), AnyJob(e.old), e.type == WatchEventType::kDeleted);
    });
  }

  std::vector<JobCondition> Conditions(const AnyJob& job) const override {
    std::vector<JobCondition> out;
    for (const auto& c : Of(job).status.conditions) {
      out.push_back(JobCondition{c.type, c.status, c.reason, c.message, c.last_probe_time,
                                 c.last_transition_time});
    }
    return out;
  }

  json StatusJson(const AnyJob& any) const override {
    const BatchJobStatus& s = Of(any).status;
    json conditions = json::array();
    for (const auto& c : s.conditions)
      conditions.push_back(ConditionJson(c));
    json out = {{"conditions", conditions},
                {"startTime", TimeJson(s.start_time)},
                {"completionTime", TimeJson(s.completion_time)},
                {"active", s.active},
                {"succeeded", s.succeeded},
                {"failed", s.failed},
                {"terminating", s.terminating ? json(*s.terminating) : json()},
                {"ready", s.ready ? json(*s.ready) : json()}};
    if (!s.completed_indexes.empty()) out["completedIndexes"] = s.completed_indexes;
    if (s.failed_indexes) out["failedIndexes"] = *s.failed_indexes;
    if (s.uncounted_terminated_pods) {
      out["uncountedTerminatedPods"] = {{"succeeded", s.uncounted_terminated_pods->succeeded},
                                        {"failed", s.uncounted_terminated_pods->failed}};
    }
    return out;
  }

  std::string Patch(Simulation& sim, const AnyJob& any, const JobPatch& patch) const override {
    const BatchJob& job = Of(any);
    if (patch.replicas) {
      return fmt::format(
          "Job \"{}\" has no replica types to scale: change its parallelism "
          "instead",
          job.metadata.name);
    }
    sim.api().collection<BatchJob>().Mutate(job.metadata.namespace_, job.metadata.name,
                                            [&](BatchJob& stored) {
                                              if (patch.suspend)
                                                stored.spec.suspend = *patch.suspend;
                                            });
    return "";
  }
};

}  // namespace

const JobKind& BatchJobKind() {
  static const BatchJobKindImpl kind;
  return kind;
}

}  // namespace ptsim
