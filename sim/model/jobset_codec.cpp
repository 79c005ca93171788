#include "sim/model/jobset_codec.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/core/go_quote.hpp"
#include "sim/model/batch_job_codec.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/yaml_file.hpp"

namespace ptsim {
namespace {

std::string SupportedValues(std::initializer_list<const char*> values) {
  std::string s;
  for (const char* v : values)
    s += (s.empty() ? "" : ", ") + GoQuote(v);
  return s;
}

// A string field restricted to an enum by the CRD; `required` as the schema says.
void EnumString(MapReader& m, std::string_view key, std::string* out, bool required,
                std::initializer_list<const char*> values) {
  m.String(key, out, required);
  if (!m.Has(key)) return;
  if (std::none_of(values.begin(), values.end(), [&](const char* v) { return *out == v; })) {
    m.ctx().Error(m.Get(key), m.FieldPath(key),
                  fmt::format("Unsupported value: {}: supported values: {}", GoQuote(*out),
                              SupportedValues(values)));
  }
}

void OptString(MapReader& m, std::string_view key, std::optional<std::string>* out) {
  if (!m.Has(key)) {
    m.Get(key);
    return;
  }
  std::string value;
  m.String(key, &value);
  *out = value;
}

void DecodeDependsOn(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                     DependsOn* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name, true);
  EnumString(m, "status", &out->status, true, {"Ready", "Complete"});
}

void DecodeReplicatedJob(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                         ReplicatedJob* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name, true);
  OptString(m, "groupName", &out->group_name);
  if (!m.Has("template")) ctx.Error(node, m.FieldPath("template"), "Required value");
  m.Nested("template", [&](MapReader& t) { DecodeJobTemplate(t, &out->template_); });
  m.OptInt32("replicas", &out->replicas);
  m.List<DependsOn>("dependsOn", &out->depends_on, DecodeDependsOn);
  if (out->depends_on.size() > 5) {
    ctx.Error(m.Get("dependsOn"), m.FieldPath("dependsOn"),
              fmt::format("Too many: {}: must have at most 5 items", out->depends_on.size()));
  }
}

void DecodeRule(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                FailurePolicyRule* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name);
  EnumString(m, "action", &out->action, true,
             {"FailJobSet", "RestartJobSet", "RestartJobSetAndIgnoreMaxRestarts", "RestartJob",
              "RestartJobAndIgnoreMaxRestarts"});
  m.StringList("onJobFailureReasons", &out->on_job_failure_reasons);
  m.StringList("onJobFailureMessagePatterns", &out->on_job_failure_message_patterns);
  m.StringList("targetReplicatedJobs", &out->target_replicated_jobs);
}

}  // namespace

void DecodeJobSetSpec(MapReader& m, JobSetSpec* out) {
  DecodeContext& ctx = m.ctx();
  m.List<ReplicatedJob>("replicatedJobs", &out->replicated_jobs, DecodeReplicatedJob);
  // listType=map, listMapKey=name: names are unique.
  for (std::size_t i = 0; i < out->replicated_jobs.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (out->replicated_jobs[i].name == out->replicated_jobs[j].name) {
        ctx.Error(
            m.Get("replicatedJobs")[i], IndexPath(m.FieldPath("replicatedJobs"), i),
            fmt::format("Duplicate value: {{\"name\":{}}}", GoQuote(out->replicated_jobs[i].name)));
      }
    }
  }
  if (m.Has("network")) {
    out->network = Network{};
    m.Nested("network", [&](MapReader& n) {
      n.OptBool("enableDNSHostnames", &out->network->enable_dns_hostnames);
      OptString(n, "subdomain", &out->network->subdomain);
      n.OptBool("publishNotReadyAddresses", &out->network->publish_not_ready_addresses);
    });
  }
  if (m.Has("successPolicy")) {
    out->success_policy = JobSetSuccessPolicy{};
    m.Nested("successPolicy", [&](MapReader& s) {
      EnumString(s, "operator", &out->success_policy->operator_, true, {"All", "Any"});
      s.StringList("targetReplicatedJobs", &out->success_policy->target_replicated_jobs);
    });
  }
  if (m.Has("failurePolicy")) {
    out->failure_policy = FailurePolicy{};
    m.Nested("failurePolicy", [&](MapReader& f) {
      f.OptInt32("maxRestarts", &out->failure_policy->max_restarts);
      if (f.Has("restartStrategy")) {
        std::string strategy;
        EnumString(f, "restartStrategy", &strategy, false,
                   {"Recreate", "BlockingRecreate", "InPlaceRestart"});
        out->failure_policy->restart_strategy = strategy;
      }
      f.List<FailurePolicyRule>("rules", &out->failure_policy->rules, DecodeRule);
    });
  }
  if (m.Has("startupPolicy")) {
    out->startup_policy = StartupPolicy{};
    m.Nested("startupPolicy", [&](MapReader& s) {
      EnumString(s, "startupPolicyOrder", &out->startup_policy->startup_policy_order, true,
                 {"AnyOrder", "InOrder"});
    });
  }
  m.OptBool("suspend", &out->suspend);
  if (m.Has("coordinator")) {
    out->coordinator = Coordinator{};
    m.Nested("coordinator", [&](MapReader& c) {
      c.String("replicatedJob", &out->coordinator->replicated_job, true);
      c.Int32("jobIndex", &out->coordinator->job_index);
      c.Int32("podIndex", &out->coordinator->pod_index);
    });
  }
  OptString(m, "managedBy", &out->managed_by);
  m.OptInt32("ttlSecondsAfterFinished", &out->ttl_seconds_after_finished);
  if (out->ttl_seconds_after_finished && *out->ttl_seconds_after_finished < 0) {
    ctx.Error(m.Get("ttlSecondsAfterFinished"), m.FieldPath("ttlSecondsAfterFinished"),
              fmt::format("Invalid value: {}: should be greater than or equal to 0",
                          *out->ttl_seconds_after_finished));
  }
  m.Unsupported("volumeClaimPolicies", "volume claim policies");
  // CEL on JobSetSpec.
  const bool any_depends_on =
      std::any_of(out->replicated_jobs.begin(), out->replicated_jobs.end(),
                  [](const ReplicatedJob& r) { return !r.depends_on.empty(); });
  if (out->startup_policy && out->startup_policy->startup_policy_order == "InOrder" &&
      any_depends_on) {
    ctx.Error(m.node(), m.path(),
              "Invalid value: \"object\": StartupPolicy and DependsOn APIs are mutually "
              "exclusive");
  }
}

void DecodeJobSet(MapReader& m, JobSet* out) {
  DecodeContext& ctx = m.ctx();
  for (const auto& [key, want] :
       {std::pair<const char*, const char*>{"apiVersion", JobSet::kApiVersion},
        {"kind", JobSet::kKind}}) {
    std::string value;
    m.String(key, &value);
    if (!m.Has(key)) {
      ctx.Error(m.node(), key, fmt::format("Required value: add {}: {}", key, want));
    } else if (value != want) {
      ctx.Error(m.Get(key), key,
                fmt::format("Unsupported value: {}: supported values: {}", GoQuote(value),
                            GoQuote(want)));
    }
  }
  m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, &out->metadata); });
  if (out->metadata.name.empty() && out->metadata.generate_name.empty()) {
    ctx.Error(m.Has("metadata") ? m.node()["metadata"] : m.node(), "metadata.name",
              "Required value: name or generateName is required");
  }
  m.Nested("spec", [&](MapReader& s) { DecodeJobSetSpec(s, &out->spec); });
  m.Accept("status");
}

Result<JobSet> DecodeJobSetDocument(const YAML::Node& document, const std::string& file) {
  Diagnostics diagnostics;
  DecodeContext ctx(file, &diagnostics);
  std::string name;
  if (document.IsMap() && document["metadata"].IsMap() && document["metadata"]["name"].IsScalar())
    name = document["metadata"]["name"].Scalar();
  ctx.set_object(name.empty() ? "JobSet" : fmt::format("JobSet {}", GoQuote(name)));
  JobSet js;
  {
    MapReader m(ctx, document, "");
    if (m.ok()) DecodeJobSet(m, &js);
  }
  if (!diagnostics.ok()) return diagnostics;
  return Result<JobSet>(std::move(js), std::move(diagnostics));
}

Result<JobSet> ParseJobSet(const std::string& text, const std::string& file) {
  auto parsed = ParseYamlText(text, file);
  if (!parsed.ok()) return parsed.diagnostics();
  if (parsed->documents.size() != 1) {
    Diagnostics diagnostics;
    diagnostics.Error(
        SourceLocation{file, 0, 0}, "", "",
        fmt::format("expected exactly one document, found {}", parsed->documents.size()));
    return diagnostics;
  }
  return DecodeJobSetDocument(parsed->documents[0], file);
}

}  // namespace ptsim
