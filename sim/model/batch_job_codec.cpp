#include "sim/model/batch_job_codec.hpp"

#include <fmt/format.h>

#include "sim/core/go_quote.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/yaml_file.hpp"

namespace ptsim {
namespace {

void OptString(MapReader& m, std::string_view key, std::optional<std::string>* out) {
  YAML::Node n = m.Get(key);
  std::string value;
  if (!IsAbsent(n) && ReadString(m.ctx(), n, m.FieldPath(key), &value)) *out = value;
}

void DecodeRequirement(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                       LabelRequirement* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("key", &out->key, /*required=*/true);
  std::string op;
  m.String("operator", &op, /*required=*/true);
  m.StringList("values", &out->values);
  if (op == "In") {
    out->op = LabelRequirement::Op::kIn;
  } else if (op == "NotIn") {
    out->op = LabelRequirement::Op::kNotIn;
  } else if (op == "Exists") {
    out->op = LabelRequirement::Op::kExists;
  } else if (op == "DoesNotExist") {
    out->op = LabelRequirement::Op::kDoesNotExist;
  } else if (!op.empty()) {
    ctx.Error(m.Get("operator"), m.FieldPath("operator"),
              fmt::format("Unsupported value: {}: supported values: \"In\", \"NotIn\", "
                          "\"Exists\", \"DoesNotExist\"",
                          GoQuote(op)));
  }
}

void DecodeOnExitCodes(MapReader& m, PodFailurePolicyOnExitCodesRequirement* out) {
  OptString(m, "containerName", &out->container_name);
  m.String("operator", &out->operator_);
  YAML::Node values = m.Get("values");
  if (IsAbsent(values)) return;
  const std::string path = m.FieldPath("values");
  if (!values.IsSequence()) {
    m.ctx().Error(values, path, "expected a list of exit codes, e.g. values: [1, 42]");
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::int32_t v = 0;
    if (ReadInt32(m.ctx(), values[i], IndexPath(path, i), &v)) out->values.push_back(v);
  }
}

void DecodeOnPodCondition(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                          PodFailurePolicyOnPodConditionsPattern* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("type", &out->type, /*required=*/true);
  // The API server's defaulting (SetDefaults_PodFailurePolicyOnPodConditionsPattern).
  if (m.Has("status"))
    m.String("status", &out->status);
  else
    m.Get("status");
}

void DecodeFailureRule(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                       PodFailurePolicyRule* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("action", &out->action);
  if (m.Has("onExitCodes")) {
    out->on_exit_codes.emplace();
    m.Nested("onExitCodes", [&](MapReader& e) { DecodeOnExitCodes(e, &*out->on_exit_codes); });
  } else {
    m.Get("onExitCodes");
  }
  m.List<PodFailurePolicyOnPodConditionsPattern>("onPodConditions", &out->on_pod_conditions,
                                                 DecodeOnPodCondition);
}

void DecodeSuccessRule(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                       SuccessPolicyRule* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  OptString(m, "succeededIndexes", &out->succeeded_indexes);
  m.OptInt32("succeededCount", &out->succeeded_count);
}

void CheckTypeField(MapReader& m, std::string_view key, std::string_view want) {
  YAML::Node n = m.Get(key);
  const std::string path = m.FieldPath(key);
  if (IsAbsent(n)) {
    m.ctx().Error(m.node(), path, fmt::format("Required value: add {}: {}", key, want));
    return;
  }
  std::string value;
  if (!ReadString(m.ctx(), n, path, &value)) return;
  if (value != want) {
    m.ctx().Error(n, path,
                  fmt::format("Unsupported value: {}: supported values: {}; this decoder reads "
                              "batch/v1 Jobs only",
                              GoQuote(value), GoQuote(want)));
  }
}

}  // namespace

void DecodeLabelSelector(MapReader& m, LabelSelector* out) {
  Labels match_labels;
  m.StringMap("matchLabels", &match_labels);
  *out = LabelSelector::FromLabels(match_labels);
  std::vector<LabelRequirement> expressions;
  m.List<LabelRequirement>("matchExpressions", &expressions, DecodeRequirement);
  for (auto& r : expressions)
    out->Add(std::move(r));
}

void DecodeJobSpec(MapReader& m, JobSpec* out) {
  m.OptInt32("parallelism", &out->parallelism);
  m.OptInt32("completions", &out->completions);
  m.OptInt64("activeDeadlineSeconds", &out->active_deadline_seconds);
  if (m.Has("podFailurePolicy")) {
    out->pod_failure_policy.emplace();
    m.Nested("podFailurePolicy", [&](MapReader& p) {
      p.List<PodFailurePolicyRule>("rules", &out->pod_failure_policy->rules, DecodeFailureRule);
    });
  } else {
    m.Get("podFailurePolicy");
  }
  if (m.Has("successPolicy")) {
    out->success_policy.emplace();
    m.Nested("successPolicy", [&](MapReader& p) {
      p.List<SuccessPolicyRule>("rules", &out->success_policy->rules, DecodeSuccessRule);
    });
  } else {
    m.Get("successPolicy");
  }
  m.OptInt32("backoffLimit", &out->backoff_limit);
  m.OptInt32("backoffLimitPerIndex", &out->backoff_limit_per_index);
  m.OptInt32("maxFailedIndexes", &out->max_failed_indexes);
  if (m.Has("selector")) {
    out->selector.emplace();
    m.Nested("selector", [&](MapReader& s) { DecodeLabelSelector(s, &*out->selector); });
  } else {
    m.Get("selector");
  }
  m.OptBool("manualSelector", &out->manual_selector);
  if (!m.Has("template")) {
    m.ctx().Error(m.node(), m.FieldPath("template"),
                  "Required value: a Job needs a pod template (template: {spec: {containers: "
                  "[...], restartPolicy: Never}})");
  }
  m.Nested("template", [&](MapReader& t) {
    DecodePodTemplate(t, &out->template_.metadata, &out->template_.spec);
  });
  m.OptInt32("ttlSecondsAfterFinished", &out->ttl_seconds_after_finished);
  OptString(m, "completionMode", &out->completion_mode);
  m.OptBool("suspend", &out->suspend);
  OptString(m, "podReplacementPolicy", &out->pod_replacement_policy);
  OptString(m, "managedBy", &out->managed_by);
}

void DecodeJobTemplate(MapReader& m, JobTemplateSpec* out) {
  m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, &out->metadata); });
  m.Nested("spec", [&](MapReader& s) { DecodeJobSpec(s, &out->spec); });
}

void DecodeBatchJob(MapReader& m, BatchJob* out) {
  CheckTypeField(m, "apiVersion", BatchJob::kApiVersion);
  CheckTypeField(m, "kind", BatchJob::kKind);
  m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, &out->metadata); });
  if (out->metadata.name.empty() && out->metadata.generate_name.empty()) {
    YAML::Node where = m.Has("metadata") ? m.node()["metadata"] : m.node();
    m.ctx().Error(where, "metadata.name", "Required value: name or generateName is required");
  }
  if (!m.Has("spec")) m.ctx().Error(m.node(), "spec", "Required value");
  m.Nested("spec", [&](MapReader& s) { DecodeJobSpec(s, &out->spec); });
  // The status of an exported object is the server's, not input.
  m.Accept("status");
}

Result<BatchJob> DecodeBatchJobDocument(const YAML::Node& document, const std::string& file) {
  Diagnostics diagnostics;
  DecodeContext ctx(file, &diagnostics);
  std::string name;
  if (document.IsMap()) {
    const YAML::Node metadata = document["metadata"];
    if (metadata.IsDefined() && metadata.IsMap()) {
      const YAML::Node n = metadata["name"];
      if (n.IsDefined() && n.IsScalar()) name = n.Scalar();
    }
  }
  ctx.set_object(name.empty() ? "Job" : fmt::format("Job {}", GoQuote(name)));
  BatchJob job;
  {
    MapReader m(ctx, document, "");
    if (m.ok()) DecodeBatchJob(m, &job);
  }
  if (!diagnostics.ok()) return diagnostics;
  return Result<BatchJob>(std::move(job), std::move(diagnostics));
}

Result<BatchJob> ParseBatchJob(const std::string& text, const std::string& file) {
  auto parsed = ParseYamlText(text, file);
  if (!parsed.ok()) return parsed.diagnostics();
  const std::vector<YAML::Node>& documents = parsed->documents;
  if (documents.size() != 1) {
    Diagnostics diagnostics;
    diagnostics.Error(SourceLocation{file, 0, 0}, "", "",
                      fmt::format("expected exactly one document, found {}; split the file "
                                  "and decode each document",
                                  documents.size()));
    return diagnostics;
  }
  return DecodeBatchJobDocument(documents[0], file);
}

}  // namespace ptsim
