#include "sim/model/pytorchjob_codec.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/core/go_quote.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/yaml_file.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

// Fields whose children are map entries, rendered `path[key]` like
// field.Path.Key: the replica-type map and the string maps of core/v1.
bool IsKeyedMap(std::string_view key) {
  for (std::string_view k : {"pytorchReplicaSpecs", "labels", "annotations", "nodeSelector",
                             "limits", "requests", "minResources", "matchLabels"}) {
    if (key == k) return true;
  }
  return false;
}

void RecordLocations(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                     bool keyed, FieldLocations* out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) continue;
      const std::string key = kv.first.Scalar();
      if (path.empty() && key == "status") continue;  // ignored on input
      const std::string child = keyed ? KeyPath(path, key) : JoinPath(path, key);
      out->emplace(child, ctx.Where(kv.first));  // a duplicate key keeps its first line
      RecordLocations(ctx, kv.second, child, !keyed && IsKeyedMap(key), out);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string child = IndexPath(path, i);
      out->emplace(child, ctx.Where(node[i]));
      RecordLocations(ctx, node[i], child, false, out);
    }
  }
}

void OptString(MapReader& m, std::string_view key, std::optional<std::string>* out) {
  YAML::Node n = m.Get(key);
  std::string value;
  if (!IsAbsent(n) && ReadString(m.ctx(), n, m.FieldPath(key), &value)) *out = value;
}

// ptsim's own bound (upstream has none): more replicas of one type than a
// simulation of this kind can hold is an error, not hours of work.
bool CheckReplicaLimit(DecodeContext& ctx, const YAML::Node& at, const std::string& path,
                       std::int64_t replicas) {
  if (replicas <= kMaxReplicasPerType) return true;
  ctx.Error(at, path,
            fmt::format("Invalid value: {}: ptsim simulates at most {} replicas of one type",
                        replicas, kMaxReplicasPerType));
  return false;
}

// ReplicaSpec.replicas is `*int32` (CRD: integer, int32). A quoted number or a
// fraction is rejected by the API server's schema check; say how to fix it.
void ReadReplicas(MapReader& m, std::optional<std::int32_t>* out) {
  YAML::Node n = m.Get("replicas");
  if (IsAbsent(n)) return;
  const std::string path = m.FieldPath("replicas");
  if (n.IsScalar() && IsQuoted(n)) {
    m.ctx().Error(n, path,
                  fmt::format("expected an integer, got the string \"{}\"; the API server "
                              "rejects it (must be of type integer): write the number without "
                              "quotes, e.g. replicas: 1",
                              n.Scalar()));
    return;
  }
  if (n.IsScalar()) {
    auto value = ResolvePlainScalar(n.Scalar());
    if (value && value->is_number_float() &&
        std::trunc(value->get<double>()) != value->get<double>()) {
      m.ctx().Error(n, path,
                    fmt::format("expected an integer, got {}; replicas counts pods and must be "
                                "a whole number",
                                n.Scalar()));
      return;
    }
  }
  std::int32_t v = 0;
  if (!ReadInt32(m.ctx(), n, path, &v)) return;
  if (!CheckReplicaLimit(m.ctx(), n, path, v)) return;
  *out = v;
}

void DecodeSchedulingPolicy(MapReader& m, SchedulingPolicy* out) {
  m.OptInt32("minAvailable", &out->min_available);
  OptString(m, "queue", &out->queue);
  if (m.Has("minResources")) {
    ResourceList resources;
    m.Quantities("minResources", &resources);
    out->min_resources = resources;
  } else {
    m.Get("minResources");
  }
  m.String("priorityClass", &out->priority_class);
  m.OptInt32("scheduleTimeoutSeconds", &out->schedule_timeout_seconds);
}

void DecodeRunPolicy(MapReader& m, RunPolicy* out) {
  OptString(m, "cleanPodPolicy", &out->clean_pod_policy);
  m.OptInt32("ttlSecondsAfterFinished", &out->ttl_seconds_after_finished);
  m.OptInt64("activeDeadlineSeconds", &out->active_deadline_seconds);
  m.OptInt32("backoffLimit", &out->backoff_limit);
  if (m.Has("schedulingPolicy")) {
    out->scheduling_policy.emplace();
    m.Nested("schedulingPolicy",
             [&](MapReader& s) { DecodeSchedulingPolicy(s, &*out->scheduling_policy); });
  } else {
    m.Get("schedulingPolicy");
  }
  m.OptBool("suspend", &out->suspend);
  OptString(m, "managedBy", &out->managed_by);
}

void DecodeRdzvConf(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                    RdzvConf* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("key", &out->key);
  m.String("value", &out->value);
}

// autoscaling/v2 MetricSpec list, kept as JSON for the HPA; the CRD requires
// each item to be an object with a `type`.
void DecodeMetrics(MapReader& m, std::optional<nlohmann::json>* out) {
  YAML::Node n = m.Get("metrics");
  if (IsAbsent(n)) return;
  DecodeContext& ctx = m.ctx();
  const std::string path = m.FieldPath("metrics");
  if (!n.IsSequence()) {
    ctx.Error(n, path, "expected a list of autoscaling/v2 MetricSpec objects");
    return;
  }
  bool ok = true;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node item = n[i];
    if (!item.IsDefined() || !item.IsMap() || IsAbsent(item["type"])) {
      ctx.Error(item, JoinPath(IndexPath(path, i), "type"),
                "Required value: each metric needs a type (Resource, Pods, Object, External or "
                "ContainerResource)");
      ok = false;
    }
  }
  std::string error;
  auto json = YamlToJson(n, &error);
  if (!json) {
    ctx.Error(n, path, error);
    return;
  }
  if (ok) *out = std::move(*json);
}

void DecodeElasticPolicy(MapReader& m, ElasticPolicy* out) {
  m.OptInt32("minReplicas", &out->min_replicas);
  m.OptInt32("maxReplicas", &out->max_replicas);
  for (const auto& [key, value] :
       {std::pair{"minReplicas", out->min_replicas}, std::pair{"maxReplicas", out->max_replicas}}) {
    if (value && !CheckReplicaLimit(m.ctx(), m.Get(key), m.FieldPath(key), *value)) {
      out->min_replicas.reset();
      out->max_replicas.reset();
    }
  }
  OptString(m, "rdzvBackend", &out->rdzv_backend);
  m.OptInt32("rdzvPort", &out->rdzv_port);
  OptString(m, "rdzvHost", &out->rdzv_host);
  OptString(m, "rdzvId", &out->rdzv_id);
  if (m.Has("rdzvConf")) {
    std::vector<RdzvConf> conf;
    m.List<RdzvConf>("rdzvConf", &conf, DecodeRdzvConf);
    out->rdzv_conf = std::move(conf);
  } else {
    m.Get("rdzvConf");
  }
  m.OptBool("standalone", &out->standalone);
  m.OptInt32("nProcPerNode", &out->n_proc_per_node);
  m.OptInt32("maxRestarts", &out->max_restarts);
  DecodeMetrics(m, &out->metrics);
}

void DecodeReplicaSpec(MapReader& m, ReplicaSpec* out) {
  ReadReplicas(m, &out->replicas);
  m.String("restartPolicy", &out->restart_policy);
  YAML::Node t = m.Get("template");
  if (IsAbsent(t)) return;
  MapReader template_reader(m.ctx(), t, m.FieldPath("template"));
  if (!template_reader.ok()) return;
  // CRD schema: a pod spec requires `containers` (an empty list passes the
  // schema and is left to the webhook, V4).
  const YAML::Node& template_node = template_reader.node();
  const YAML::Node pod_spec = template_node["spec"];
  if (pod_spec.IsDefined() && pod_spec.IsMap() && IsAbsent(pod_spec["containers"])) {
    m.ctx().Error(pod_spec, JoinPath(template_reader.FieldPath("spec"), "containers"),
                  "Required value: a pod template needs at least one container, named "
                  "pytorch");
  }
  DecodePodTemplate(template_reader, &out->template_.metadata, &out->template_.spec);
}

void DecodeReplicaSpecs(MapReader& spec, PyTorchJobSpec* out) {
  DecodeContext& ctx = spec.ctx();
  YAML::Node n = spec.Get("pytorchReplicaSpecs");
  const std::string path = spec.FieldPath("pytorchReplicaSpecs");
  if (IsAbsent(n)) {
    // CRD schema: spec.pytorchReplicaSpecs is required
    // (docs/upstream/training-operator.md#validation, V2).
    ctx.Error(spec.node(), path,
              "Required value: add the replica types, e.g. pytorchReplicaSpecs: {Master: ..., "
              "Worker: ...}");
    return;
  }
  MapReader replicas(ctx, n, path);
  if (!replicas.ok()) return;
  auto& specs = out->pytorch_replica_specs.emplace();
  for (const auto& kv : replicas.node()) {
    const std::string key = kv.first.Scalar();
    // Any key decodes; the webhook reports keys other than Master/Worker (V3).
    MapReader one(ctx, replicas.Get(key), KeyPath(path, key));
    ReplicaSpec& rs = specs[key];
    if (one.ok()) DecodeReplicaSpec(one, &rs);
  }
}

void DecodeSpec(MapReader& m, PyTorchJobSpec* out) {
  m.Nested("runPolicy", [&](MapReader& r) { DecodeRunPolicy(r, &out->run_policy); });
  if (m.Has("elasticPolicy")) {
    out->elastic_policy.emplace();
    m.Nested("elasticPolicy", [&](MapReader& e) { DecodeElasticPolicy(e, &*out->elastic_policy); });
  } else {
    m.Get("elasticPolicy");
  }
  DecodeReplicaSpecs(m, out);
  OptString(m, "nprocPerNode", &out->nproc_per_node);
}

void CheckTypeField(MapReader& m, std::string_view key, std::string_view want,
                    std::string_view advice) {
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
                  fmt::format("Unsupported value: {}: supported values: {}; {}", GoQuote(value),
                              GoQuote(want), advice));
  }
}

}  // namespace

std::string ParentFieldPath(std::string_view path) {
  if (path.empty()) return "";
  if (path.back() == ']') {
    const std::size_t open = path.rfind('[');
    return std::string(path.substr(0, open == std::string_view::npos ? 0 : open));
  }
  const std::size_t dot = path.find_last_of(".]");
  if (dot == std::string_view::npos) return "";
  // "a[0].b" -> "a[0]"; "a.b" -> "a".
  return std::string(path.substr(0, path[dot] == ']' ? dot + 1 : dot));
}

SourceLocation LocateField(const FieldLocations& locations, std::string_view path) {
  std::string p(path);
  while (true) {
    if (auto it = locations.find(p); it != locations.end()) return it->second;
    if (p.empty()) return SourceLocation{};
    p = ParentFieldPath(p);
  }
}

void DecodePyTorchJob(DecodeContext& ctx, const YAML::Node& document, PyTorchJob* out,
                      FieldLocations* locations) {
  if (locations) {
    locations->emplace("", ctx.Where(document));
    RecordLocations(ctx, document, "", false, locations);
  }
  if (ctx.object().empty()) {
    std::string name;
    // A missing key yields an invalid node: test IsDefined() before anything else.
    if (document.IsMap()) {
      const YAML::Node metadata = document["metadata"];
      if (metadata.IsDefined() && metadata.IsMap()) {
        const YAML::Node n = metadata["name"];
        if (n.IsDefined() && n.IsScalar()) name = n.Scalar();
      }
    }
    ctx.set_object(name.empty() ? "PyTorchJob" : fmt::format("PyTorchJob {}", GoQuote(name)));
  }
  MapReader m(ctx, document, "");
  if (!m.ok()) return;
  CheckTypeField(m, "apiVersion", PyTorchJob::kApiVersion,
                 "ptsim reads the kubeflow.org/v1 PyTorchJob of training-operator v1.x");
  CheckTypeField(m, "kind", PyTorchJob::kKind,
                 "this decoder reads PyTorchJobs only; other kinds go to their own decoder");
  m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, &out->metadata); });
  if (out->metadata.name.empty() && out->metadata.generate_name.empty()) {
    YAML::Node where = m.Has("metadata") ? m.node()["metadata"] : m.node();
    ctx.Error(where, "metadata.name", "Required value: name or generateName is required");
  }
  m.Nested("spec", [&](MapReader& s) { DecodeSpec(s, &out->spec); });
  // The status of an exported object is the server's, not input.
  m.Accept("status");
}

Result<DecodedPyTorchJob> DecodePyTorchJobDocument(const YAML::Node& document,
                                                   const std::string& file) {
  Diagnostics diagnostics;
  DecodeContext ctx(file, &diagnostics);
  DecodedPyTorchJob decoded;
  DecodePyTorchJob(ctx, document, &decoded.job, &decoded.locations);
  if (!diagnostics.ok()) return diagnostics;
  return Result<DecodedPyTorchJob>(std::move(decoded), std::move(diagnostics));
}

Result<DecodedPyTorchJob> ParsePyTorchJob(const std::string& text, const std::string& file) {
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
  return DecodePyTorchJobDocument(documents[0], file);
}

}  // namespace ptsim
