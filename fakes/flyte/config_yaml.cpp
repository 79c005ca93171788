#include "fakes/flyte/config_yaml.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "fakes/flyte/yaml_reader.hpp"
#include "fakes/flyte/yaml_sections.hpp"
#include "sim/model/input_text.hpp"
#include "sim/model/yaml_file.hpp"

namespace ptsim::flyte {
namespace {

constexpr char kRestartSpellings[] =
    "NEVER, FAILURE (or ON_FAILURE), ALWAYS, or RESTART_POLICY_NEVER, "
    "RESTART_POLICY_ON_FAILURE, RESTART_POLICY_ALWAYS";
constexpr char kCleanPodSpellings[] =
    "NONE, RUNNING, ALL, or CLEANPOD_POLICY_NONE, CLEANPOD_POLICY_RUNNING, CLEANPOD_POLICY_ALL";

std::optional<RestartPolicy> ParseRestartPolicy(YamlDocument* doc, YamlMap& m) {
  auto node = m.Node("restart_policy");
  auto name = m.String("restart_policy");
  if (!name) return std::nullopt;
  auto policy = RestartPolicyFromName(*name);
  if (!policy) {
    doc->Error(*node, m.Path("restart_policy"),
               fmt::format("unknown restart policy \"{}\"; expected {}", *name, kRestartSpellings));
  }
  return policy;
}

template <typename Replica>
void ParseReplica(YamlDocument* doc, YamlMap& m, Replica* r) {
  if (auto image = m.String("image")) r->image = *image;
  r->requests = ParseResources(doc, m, "requests");
  r->limits = ParseResources(doc, m, "limits");
  r->restart_policy = ParseRestartPolicy(doc, m);
  if constexpr (std::is_same_v<Replica, Worker>) r->replicas = m.Int("replicas");
  m.Finish();
}

std::optional<RunPolicy> ParseRunPolicy(YamlDocument* doc, YamlMap& parent) {
  auto m = parent.Map("run_policy");
  if (!m) return std::nullopt;
  RunPolicy p;
  auto node = m->Node("clean_pod_policy");
  if (auto name = m->String("clean_pod_policy")) {
    p.clean_pod_policy = CleanPodPolicyFromName(*name);
    if (!p.clean_pod_policy) {
      doc->Error(
          *node, m->Path("clean_pod_policy"),
          fmt::format("unknown clean pod policy \"{}\"; expected {}", *name, kCleanPodSpellings));
    }
  }
  p.ttl_seconds_after_finished = m->Int("ttl_seconds_after_finished");
  p.active_deadline_seconds = m->Int("active_deadline_seconds");
  p.backoff_limit = m->Int("backoff_limit");
  m->Finish();
  return p;
}

PyTorch ParsePyTorch(YamlDocument* doc, YamlMap& m) {
  PyTorch c;
  if (auto master = m.Map("master")) ParseReplica(doc, *master, &c.master);
  if (auto worker = m.Map("worker")) ParseReplica(doc, *worker, &c.worker);
  c.run_policy = ParseRunPolicy(doc, m);
  c.num_workers = m.Int("num_workers");
  if (auto b = m.Bool("increase_shared_mem")) c.increase_shared_mem = *b;
  m.Finish();
  return c;
}

Elastic ParseElastic(YamlDocument* doc, YamlMap& m) {
  Elastic c;
  if (auto n = m.Node("nnodes")) {
    if (!n->IsScalar()) {
      doc->Error(*n, m.Path("nnodes"), "expected an integer or a \"MIN:MAX\" string");
    } else {
      PyScalar s = YamlDocument::Scalar(*n);
      // An int stays an int; anything else reaches flytekit as str(value).
      c.nnodes = s.type == PyScalar::Type::kInt ? NNodes(std::stoll(s.text)) : NNodes(s.text);
    }
  }
  if (auto v = m.Int("nproc_per_node")) c.nproc_per_node = *v;
  if (auto v = m.String("start_method")) c.start_method = *v;
  if (auto v = m.Int("monitor_interval")) c.monitor_interval = *v;
  if (auto v = m.Int("max_restarts")) c.max_restarts = *v;
  if (auto v = m.Node("rdzv_configs")) {
    if (v->IsMap()) {
      c.rdzv_configs = YamlDocument::ToJson(*v);
    } else {
      doc->Error(*v, m.Path("rdzv_configs"), "expected a mapping");
    }
  }
  if (auto b = m.Bool("increase_shared_mem")) c.increase_shared_mem = *b;
  c.run_policy = ParseRunPolicy(doc, m);
  m.Finish();
  return c;
}

// Records every key below `node` so JSON-side diagnostics can be located.
void RecordAll(YamlDocument* doc, const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    std::string p = path + "." + kv.first.Scalar();
    doc->Record(p, kv.first);
    RecordAll(doc, kv.second, p);
  }
}

// Parses a JSON-shaped section with `parse`, prefixing diagnostic fields.
template <typename T, typename Parse>
void ParseJsonSection(YamlDocument* doc, YamlMap& top, const std::string& key, Parse parse,
                      T* out) {
  auto node = top.Node(key);
  if (!node) return;
  RecordAll(doc, *node, key);
  auto parsed = parse(YamlDocument::ToJson(*node));
  if (parsed.ok()) {
    *out = parsed.value();
    return;
  }
  for (auto item : parsed.diagnostics().items()) {
    item.field = item.field.empty() ? key : key + "." + item.field;
    doc->diags()->Error(item.where, item.object, item.field, item.message);
  }
}

}  // namespace

Diagnostics LocateDiagnostics(const Diagnostics& diagnostics,
                              const std::map<std::string, SourceLocation>& locations) {
  Diagnostics out;
  for (Diagnostic item : diagnostics.items()) {
    if (item.where.file.empty()) {
      std::string best;
      for (const auto& [path, where] : locations) {
        bool prefix = item.field.rfind(path, 0) == 0 &&
                      (item.field.size() == path.size() || item.field[path.size()] == '.' ||
                       item.field[path.size()] == '[');
        if (prefix && path.size() > best.size()) {
          best = path;
          item.where = where;
        }
      }
    }
    out.Add(item);
  }
  return out;
}

Result<FlyteTaskSpec> ParseFlyteTaskSpec(std::string_view yaml, const std::string& file_name) {
  // With ptsim's input guards (sim/model/yaml_file.hpp); the first document,
  // as YAML::Load takes it.
  auto parsed = ParseYamlText(std::string(yaml), file_name);
  if (!parsed.ok()) return parsed.diagnostics();
  const YAML::Node root = parsed->documents.empty() ? YAML::Node() : parsed->documents.front();
  return ParseFlyteTaskSpecNode(root, file_name);
}

Result<FlyteTaskSpec> ParseFlyteTaskSpecNode(const YAML::Node& root, const std::string& file_name) {
  Diagnostics d;
  YamlDocument doc(file_name, &d);
  FlyteTaskSpec spec;
  YamlMap top(&doc, root, "");
  if (!top.ok()) return d;
  // A bare `elastic:` (null) means the all-default config.
  bool has_pytorch = top.Contains("pytorch");
  bool has_elastic = top.Contains("elastic");
  if (has_pytorch == has_elastic) {
    d.Error(doc.Where(root), "", "",
            has_pytorch ? "give either `pytorch:` or `elastic:`, not both"
                        : "missing task config: add a `pytorch:` or an `elastic:` section");
  } else if (has_pytorch) {
    spec.config = PyTorch{};
    if (auto m = top.Map("pytorch")) spec.config = ParsePyTorch(&doc, *m);
  } else {
    spec.config = Elastic{};
    if (auto m = top.Map("elastic")) spec.config = ParseElastic(&doc, *m);
  }
  if (auto m = top.Map("task")) ParseTaskSection(&doc, *m, &spec.decorator);
  ParseJsonSection(&doc, top, "execution", ParseTaskExecution, &spec.execution);
  ParseJsonSection(&doc, top, "propeller", ParsePluginConfig, &spec.propeller);
  top.Finish();
  spec.locations = doc.locations();
  if (!d.ok()) return LocateDiagnostics(d, spec.locations);
  return spec;
}

Result<LoadedFlyteTask> CreateFlyteTask(const FlyteTaskSpec& spec) {
  auto task = CreateTask(spec.config, spec.decorator);
  Diagnostics located = LocateDiagnostics(task.diagnostics(), spec.locations);
  if (!task.ok()) return located;
  return Result<LoadedFlyteTask>(
      LoadedFlyteTask{std::move(task.value()), spec.execution, spec.propeller, spec.locations},
      located);
}

Result<LoadedFlyteTask> ParseFlyteTask(std::string_view yaml, const std::string& file_name) {
  auto spec = ParseFlyteTaskSpec(yaml, file_name);
  if (!spec.ok()) return spec.diagnostics();
  return CreateFlyteTask(spec.value());
}

Result<LoadedFlyteTask> LoadFlyteTaskFile(const std::string& path) {
  auto text = ReadInputFile(path);
  if (!text.ok()) return text.diagnostics();
  return ParseFlyteTask(*text, path);
}

}  // namespace ptsim::flyte
