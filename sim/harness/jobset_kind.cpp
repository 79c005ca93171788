#include "sim/harness/jobset_kind.hpp"

#include <fmt/format.h>

#include "sim/core/go_quote.hpp"
#include "sim/harness/manifest_paths.hpp"
#include "sim/harness/report_json.hpp"
#include "sim/model/jobset_codec.hpp"
#include "sim/model/jobset_defaults.hpp"
#include "sim/model/jobset_validation.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

const JobSet& Of(const AnyJob& job) {
  return *job.As<JobSet>();
}

class JobSetKindImpl final : public JobKind {
 public:
  std::string_view kind() const override { return JobSet::kKind; }
  std::string_view api_version() const override { return JobSet::kApiVersion; }

  PlannedJob Decode(DecodeContext& ctx, const YAML::Node& document, OperatorVersion,
                    std::vector<PlanNote>*) const override {
    JobSet js;
    PlannedJob entry;
    entry.kind = this;
    std::string name;
    if (document.IsMap() && document["metadata"].IsMap() && document["metadata"]["name"].IsScalar())
      name = document["metadata"]["name"].Scalar();
    ctx.set_object(name.empty() ? "JobSet" : fmt::format("JobSet {}", GoQuote(name)));
    const int errors_before = ctx.diagnostics().errors();
    {
      MapReader m(ctx, document, "");
      if (m.ok()) DecodeJobSet(m, &js);
    }
    if (ctx.diagnostics().errors() == errors_before) {
      // The webhook sees the defaulted object (the mutating webhook runs first).
      JobSet defaulted = js;
      SetDefaults_JobSet(&defaulted);
      const auto errors = ValidateJobSetCreate(defaulted);
      if (!errors.empty()) {
        ctx.Error(document, "",
                  fmt::format("admission webhook \"{}\" denied the request: {}", kJobSetWebhookName,
                              JobSetInvalidMessage(js.metadata.name, errors)));
      }
    }
    for (auto& rjob : js.spec.replicated_jobs)
      ResolveWorkingDirs(&rjob.template_.spec.template_.spec, ctx.file());
    const YAML::Node& d = document;
    if (const YAML::Node spec = d["spec"]; spec) entry.spec = YamlToJson(spec).value_or(json());
    entry.object = AnyJob(std::make_shared<const JobSet>(std::move(js)));
    return entry;
  }

  std::vector<JobPodTemplate> PodTemplates(const PlannedJob& entry) const override {
    std::vector<JobPodTemplate> out;
    const JobSet* js = entry.As<JobSet>();
    if (!js) return out;
    for (std::size_t i = 0; i < js->spec.replicated_jobs.size(); ++i) {
      out.push_back({fmt::format("spec.replicatedJobs[{}].template.spec.template", i),
                     &js->spec.replicated_jobs[i].template_.spec.template_});
    }
    return out;
  }

  Diagnostics Create(Simulation& sim, const PlannedJob& entry) const override {
    JobSet js = *entry.As<JobSet>();
    SetDefaults_JobSet(&js);  // the mutating webhook, on create
    return sim.api().collection<JobSet>().Create(std::move(js)).diagnostics();
  }

  bool Settled(Simulation& sim, const std::string& ns, const std::string& name) const override {
    return sim.jobset_controller().Settled(ns, name);
  }

  std::vector<AnyJob> List(Simulation& sim) const override {
    std::vector<AnyJob> out;
    for (auto& js : sim.api().collection<JobSet>().List())
      out.emplace_back(std::move(js));
    return out;
  }

  void Delete(Simulation& sim, const AnyJob& job) const override {
    sim.api().collection<JobSet>().Delete(
        job.metadata().namespace_, job.metadata().name,
        DeleteOptions{std::nullopt, PropagationPolicy::kForeground});
  }

  void Watch(ApiServer& api, WatchFn on_change) const override {
    api.collection<JobSet>().Watch([on_change](const WatchEvent<JobSet>& e) {
      on_change(AnyJob(e.object), AnyJob(e.old), e.type == WatchEventType::kDeleted);
    });
  }

  std::vector<JobCondition> Conditions(const AnyJob& job) const override {
    std::vector<JobCondition> out;
    for (const auto& c : Of(job).status.conditions) {
      out.push_back(
          {c.type, c.status, c.reason, c.message, c.last_transition_time, c.last_transition_time});
    }
    return out;
  }

  json StatusJson(const AnyJob& any) const override {
    const JobSetStatus& status = Of(any).status;
    json conditions = json::array();
    for (const auto& c : status.conditions) {
      conditions.push_back({{"type", c.type},
                            {"status", c.status},
                            {"reason", c.reason},
                            {"message", c.message},
                            {"lastTransitionTime", TimeJson(c.last_transition_time)}});
    }
    json rjobs = json::array();
    for (const auto& r : status.replicated_jobs_status) {
      rjobs.push_back({{"name", r.name},
                       {"ready", r.ready},
                       {"succeeded", r.succeeded},
                       {"failed", r.failed},
                       {"active", r.active},
                       {"suspended", r.suspended}});
    }
    return {{"conditions", conditions},
            {"restarts", status.restarts},
            {"restartsCountTowardsMax", status.restarts_count_towards_max},
            {"terminalState", status.terminal_state},
            {"replicatedJobsStatus", rjobs}};
  }

  std::string Patch(Simulation& sim, const AnyJob& any, const JobPatch& patch) const override {
    const JobSet& js = Of(any);
    JobSet next = js;
    if (patch.suspend) next.spec.suspend = *patch.suspend;
    if (patch.replicas) {
      for (auto& r : next.spec.replicated_jobs)
        if (r.name == patch.replica_type) r.replicas = *patch.replicas;
    }
    if (auto errors = ValidateJobSetUpdate(js, next); !errors.empty()) {
      return fmt::format("admission webhook \"{}\" denied the request: {}", kJobSetWebhookName,
                         JobSetInvalidMessage(js.metadata.name, errors));
    }
    sim.api().collection<JobSet>().Mutate(js.metadata.namespace_, js.metadata.name,
                                          [&](JobSet& stored) { stored.spec = next.spec; });
    return "";
  }
};

}  // namespace

const JobKind& JobSetKind() {
  static const JobSetKindImpl kind;
  return kind;
}

}  // namespace ptsim
