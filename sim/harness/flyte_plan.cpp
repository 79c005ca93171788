#include "sim/harness/flyte_plan.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "fakes/flyte/config_yaml.hpp"
#include "fakes/flyte/generated_name.hpp"
#include "fakes/flyte/job_builder.hpp"
#include "fakes/flyte/pod_task.hpp"
#include "fakes/flyte/task_template.hpp"
#include "fakes/flyte/template_shape.hpp"
#include "sim/harness/flyte_attempt.hpp"
#include "sim/harness/pytorchjob_kind.hpp"
#include "sim/harness/run_plan.hpp"
#include "sim/model/yaml_file.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

bool HasKey(const YAML::Node& node, const char* key) {
  if (!node.IsMap()) return false;
  const YAML::Node& n = node;
  return n[key].IsDefined();
}

// Where every key of a template was written, by the field paths the Flyte
// model's diagnostics use ("custom.workerReplicas.replicas",
// "k8sPod.podSpec.containers[0]").
void RecordLocations(const YAML::Node& node, const std::string& path, const std::string& file,
                     std::map<std::string, SourceLocation>* out) {
  auto where = [&](const YAML::Node& n) -> SourceLocation {
    const YAML::Mark mark = n.Mark();
    if (mark.is_null()) return {file, 0, 0};
    return {file, mark.line + 1, mark.column + 1};
  };
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string p = path.empty() ? kv.first.Scalar() : path + "." + kv.first.Scalar();
      (*out)[p] = where(kv.first);
      RecordLocations(kv.second, p, file, out);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string p = fmt::format("{}[{}]", path, i);
      (*out)[p] = where(node[i]);
      RecordLocations(node[i], p, file, out);
    }
  }
}

// Copies `from` into `to`, placing unlocated items at `where` and prefixing
// their fields.
void AppendLocated(const Diagnostics& from, const SourceLocation& where, const std::string& object,
                   const std::string& field_prefix, Diagnostics* to) {
  for (Diagnostic item : from.items()) {
    if (item.where.file.empty()) item.where = where;
    if (item.object.empty()) item.object = object;
    if (!field_prefix.empty()) {
      item.field = item.field.empty() ? field_prefix : field_prefix + "." + item.field;
    }
    to->Add(item);
  }
}

// Where a task file wrote what became each part of its template, so that
// errors about the template (flytepropeller's BuildResource, the generated
// object) point at the key the user wrote: "custom.workerReplicas.resources"
// at `pytorch.worker.requests`, "k8sPod.podSpec.containers[1].resources.limits"
// (the primary container) at `task.limits`, and so on.
void AliasTaskFileLocations(const FlytePlan& plan, const std::string& config_key,
                            std::map<std::string, SourceLocation>* locations) {
  const std::map<std::string, SourceLocation> written = *locations;
  auto alias = [&](const std::string& template_path, std::vector<std::string> keys) {
    for (const auto& key : keys) {
      auto it = written.find(key);
      if (it != written.end()) {
        locations->emplace(template_path, it->second);
        return;
      }
    }
  };
  const std::string& c = config_key;  // "pytorch" or "elastic"
  alias("custom", {c});
  for (const auto& [replica, key] :
       {std::pair<std::string, std::string>{"workerReplicas", "worker"},
        {"masterReplicas", "master"}}) {
    const std::string from = "custom." + replica;
    const std::string to = c + "." + key;
    alias(from + ".resources", {to + ".requests", to + ".limits", to});
    alias(from + ".image", {to + ".image", to});
    alias(from + ".restartPolicy", {to + ".restart_policy", to});
    alias(from + ".replicas", {to + ".replicas", c + ".num_workers", c + ".nnodes", to});
    alias(from, {to, c + ".nnodes", c});
  }
  alias("custom.runPolicy", {c + ".run_policy", c});
  alias("custom.elasticConfig", {c});
  alias("metadata.retries", {"task.retries"});
  alias("metadata.metadata.labels", {"task.labels"});
  alias("metadata.metadata.annotations", {"task.annotations"});
  alias("extendedResources.gpuAccelerator", {"task.accelerator"});
  alias("extendedResources.sharedMemory", {"task.shared_memory"});
  // The primary container: the `container` target, or the pod template's
  // container named in config.primary_container_name.
  std::vector<std::string> primaries = {"container"};
  const json& t = plan.task_template;
  if (t.contains("k8sPod") && t["k8sPod"].is_object()) {
    const std::string primary =
        t.value("config", json::object()).value("primary_container_name", "");
    const json containers =
        t["k8sPod"].value("podSpec", json::object()).value("containers", json::array());
    for (std::size_t i = 0; containers.is_array() && i < containers.size(); ++i) {
      if (containers[i].is_object() && containers[i].value("name", "") == primary) {
        primaries.push_back(fmt::format("k8sPod.podSpec.containers[{}]", i));
      }
    }
  }
  for (const auto& p : primaries) {
    alias(p + ".resources.requests", {"task.requests", "task"});
    alias(p + ".resources.limits", {"task.limits", "task"});
    alias(p + ".resources", {"task.requests", "task.limits", "task"});
    alias(p + ".image", {"task.image", "task"});
    alias(p + ".command", {"task.command", "task"});
    alias(p + ".args", {"task.args", "task"});
    alias(p + ".env", {"task.env", "task"});
  }
  alias("k8sPod.podSpec", {"task.pod_template.pod_spec", "task.pod_template", "task"});
  alias("k8sPod.metadata", {"task.pod_template", "task"});
  alias("k8sPod", {"task.pod_template", "task"});
  alias("container", {"task"});
}

// Reads what every template input has: type, version, retries, and for
// PyTorch templates with an elastic config the in-pod launch settings.
Diagnostics FinishTemplate(FlytePlan* plan) {
  Diagnostics d;
  const json& t = plan->task_template;
  auto fail = [&](const std::string& field, const std::string& message) {
    auto it = plan->template_locations.find(field);
    d.Error(it != plan->template_locations.end() ? it->second : plan->where, "", field, message);
  };
  if (!t.is_object()) {
    d.Error(plan->where, "", "", "a task template must be a JSON object");
    return d;
  }
  // flyteadmin would not unmarshal a template with a field of the wrong type.
  const auto shape = flyte::CheckTemplateShape(t);
  for (const auto& e : shape)
    fail(e.field, e.message);
  if (!shape.empty()) return d;
  if (!t.contains("type") || !t["type"].is_string() || t["type"].get<std::string>().empty()) {
    fail("type", "a task template needs a `type` (\"pytorch\" or \"python-task\")");
    return d;
  }
  plan->task_type = t["type"].get<std::string>();
  static const std::set<std::string> kRunnable = {"pytorch", "python-task", "container"};
  if (!kRunnable.count(plan->task_type)) {
    fail("type", fmt::format("ptsim runs task type \"pytorch\" (flytepropeller's kubeflow "
                             "plugin) and \"python-task\" or \"container\" (its pod plugin), not "
                             "\"{}\"",
                             plan->task_type));
    return d;
  }
  const json version = t.value("taskTypeVersion", json(0));
  plan->task_type_version = version.is_number_integer() ? version.get<int64_t>() : -1;
  // TaskMetadata.retries.retries (a uint32 in JSON: a number or a string).
  const json meta = t.value("metadata", json::object());
  if (meta.is_object() && meta.contains("retries") && meta["retries"].is_object()) {
    const json r = meta["retries"].value("retries", json(0));
    if (r.is_number_unsigned() || (r.is_number_integer() && r.get<int64_t>() >= 0)) {
      plan->retry.retries = r.get<int64_t>();
    } else if (r.is_string() && !r.get<std::string>().empty() &&
               r.get<std::string>().find_first_not_of("0123456789") == std::string::npos) {
      plan->retry.retries = std::stoll(r.get<std::string>());
    } else {
      fail("metadata.retries.retries",
           fmt::format("expected a non-negative integer, got {}", r.dump()));
    }
  }
  if (plan->task_type == "pytorch" && !plan->elastic) {
    const json custom = t.value("custom", json());
    if (custom.is_object() && custom.contains("elasticConfig") &&
        custom["elasticConfig"].is_object()) {
      const json& e = custom["elasticConfig"];
      auto number = [&](const char* key, int64_t fallback) {
        const json v = e.value(key, json());
        if (v.is_number_integer()) return v.get<int64_t>();
        if (v.is_string()) {
          try {
            return static_cast<int64_t>(std::stoll(v.get<std::string>()));
          } catch (...) {
          }
        }
        return fallback;
      };
      flyte::Elastic elastic;
      elastic.nnodes = fmt::format("{}:{}", number("minReplicas", 0), number("maxReplicas", 0));
      const int64_t nproc = number("nprocPerNode", 0);
      elastic.nproc_per_node = nproc > 0 ? nproc : 1;
      elastic.max_restarts = number("maxRestarts", 0);
      plan->elastic = elastic;
    }
  }
  return d;
}

}  // namespace

Result<FlytePlan> LoadFlyteFile(const std::string& path, const SourceLocation& at,
                                const std::string& field) {
  Diagnostics d;
  if (!std::ifstream(path)) {
    d.Error(at, "", field, fmt::format("cannot read {}: no such file or it is not readable", path));
    return d;
  }
  auto file = ReadYamlFile(path);
  if (!file.ok()) return file.diagnostics();
  const std::vector<YAML::Node>& docs = file->documents;
  if (docs.size() != 1) {
    // Point at the second document, or at the start of an empty file.
    const YAML::Mark mark = docs.size() > 1 ? docs[1].Mark() : YAML::Mark();
    const SourceLocation where = docs.size() > 1 && !mark.is_null()
                                     ? SourceLocation{path, mark.line + 1, mark.column + 1}
                                     : SourceLocation{path, 1, 1};
    d.Error(where, "", "",
            docs.empty() ? "the file is empty: a Flyte task file or task template holds one "
                           "document"
                         : "a Flyte task file or task template holds exactly one document; "
                           "this is a second one");
    return d;
  }
  if (LooksLikeFlyteTaskFile(docs[0])) return FlytePlanFromTaskFile(docs[0], path);
  if (LooksLikeFlyteTemplate(docs[0])) return FlytePlanFromTemplate(docs[0], path);
  d.Error({path, 1, 1}, "", "",
          "not a Flyte task: a task file has a `pytorch:` or `elastic:` section, a task template "
          "a `type` and a `container` or `k8sPod`");
  return d;
}

bool LooksLikeFlyteTaskFile(const YAML::Node& document) {
  return document.IsMap() && !HasKey(document, "kind") &&
         (HasKey(document, "pytorch") || HasKey(document, "elastic"));
}

bool LooksLikeFlyteTemplate(const YAML::Node& document) {
  if (!document.IsMap() || HasKey(document, "kind")) return false;
  const YAML::Node& d = document;
  if (HasKey(document, "type") &&
      (HasKey(document, "container") || HasKey(document, "k8sPod") || HasKey(document, "custom"))) {
    return true;
  }
  if (HasKey(document, "template")) return LooksLikeFlyteTemplate(d["template"]);
  if (HasKey(document, "closure") && HasKey(d["closure"], "compiledTask")) {
    return LooksLikeFlyteTemplate(d["closure"]["compiledTask"]);
  }
  return false;
}

Result<FlytePlan> FlytePlanFromTaskFile(const YAML::Node& document, const std::string& file) {
  FlytePlan plan;
  plan.input = "task file";
  const YAML::Mark mark = document.Mark();
  plan.where = {file, mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1};
  auto spec = flyte::ParseFlyteTaskSpecNode(document, file);
  if (!spec.ok()) return spec.diagnostics();
  const flyte::FlyteTaskSpec& s = spec.value();
  auto task = flyte::CreateFlyteTask(s);
  if (!task.ok()) return task.diagnostics();
  Diagnostics warnings = task.diagnostics();
  for (const auto& w : warnings.items())
    plan.warnings.push_back(w.message);
  auto tmpl = flyte::BuildTaskTemplate(task->task);
  if (!tmpl.ok()) return flyte::LocateDiagnostics(tmpl.diagnostics(), s.locations);
  plan.task_template = tmpl.value();
  plan.execution = task->execution;
  plan.propeller = task->propeller;
  plan.retry.retries = s.decorator.retries.value_or(0);
  if (const auto* elastic = std::get_if<flyte::Elastic>(&s.config)) {
    plan.config = "Elastic";
    plan.elastic = *elastic;
  } else {
    plan.config = "PyTorch";
  }
  for (const auto& [path, where] : s.locations)
    plan.template_locations.emplace(path, where);
  AliasTaskFileLocations(plan, plan.config == "Elastic" ? "elastic" : "pytorch",
                         &plan.template_locations);
  Diagnostics d = FinishTemplate(&plan);
  if (!d.ok()) return d;
  return Result<FlytePlan>(std::move(plan), warnings);
}

Result<FlytePlan> FlytePlanFromTemplate(const YAML::Node& document, const std::string& file) {
  FlytePlan plan;
  plan.input = "task template";
  const YAML::Mark mark = document.Mark();
  plan.where = {file, mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1};
  std::string error;
  auto converted = YamlToJson(document, &error);
  if (!converted) {
    Diagnostics d;
    d.Error(plan.where, "", "", "cannot read the task template: " + error);
    return d;
  }
  json t = *converted;
  YAML::Node node = document;
  std::string prefix;
  if (!t.contains("type") && t.contains("closure")) {
    t = t["closure"]["compiledTask"]["template"];
    node = YAML::Node(document)["closure"]["compiledTask"]["template"];
  } else if (!t.contains("type") && t.contains("template")) {
    t = t["template"];
    node = YAML::Node(document)["template"];
  }
  RecordLocations(node, "", file, &plan.template_locations);
  plan.task_template = t;
  Diagnostics d = FinishTemplate(&plan);
  if (!d.ok()) return d;
  return plan;
}

void DecodeFlyteSection(DecodeContext& ctx, const YAML::Node& node, RunPlan* plan) {
  const std::filesystem::path dir = std::filesystem::path(ctx.file()).parent_path();
  const SourceLocation at = ctx.Where(node);
  Diagnostics& diags = ctx.diagnostics();
  std::optional<FlytePlan> loaded;
  if (node.IsScalar()) {
    auto r = LoadFlyteFile((dir / node.Scalar()).string(), at, "flyte");
    diags.Append(r.diagnostics());
    if (r.ok()) loaded = std::move(r.value());
  } else if (node.IsMap() && HasKey(node, "taskFile")) {
    MapReader m(ctx, node, "flyte");
    std::string path;
    m.String("taskFile", &path, true);
    std::optional<std::int64_t> retries;
    m.OptInt64("retries", &retries);
    YAML::Node execution = m.Get("execution");
    YAML::Node propeller = m.Get("propeller");
    if (path.empty()) return;
    auto r = LoadFlyteFile((dir / path).string(), ctx.Where(m.Get("taskFile")), "flyte.taskFile");
    diags.Append(r.diagnostics());
    if (!r.ok()) return;
    loaded = std::move(r.value());
    if (retries) {
      if (*retries < 0) {
        ctx.Error(m.Get("retries"), "flyte.retries", "retries must be at least 0");
      }
      loaded->retry.retries = *retries;
    }
    auto section = [&](const YAML::Node& n, const char* key, auto parse, auto* out) {
      if (IsAbsent(n)) return;
      auto as_json = YamlToJson(n);
      auto parsed = parse(as_json.value_or(json()));
      if (!parsed.ok()) {
        AppendLocated(parsed.diagnostics(), ctx.Where(n), ctx.object(), std::string("flyte.") + key,
                      &diags);
        return;
      }
      *out = parsed.value();
    };
    section(execution, "execution", flyte::ParseTaskExecution, &loaded->execution);
    section(propeller, "propeller", flyte::ParsePluginConfig, &loaded->propeller);
  } else if (node.IsMap()) {
    auto r = FlytePlanFromTaskFile(node, ctx.file());
    AppendLocated(r.diagnostics(), at, ctx.object(), "flyte", &diags);
    if (r.ok()) loaded = std::move(r.value());
  } else {
    ctx.Error(node, "flyte",
              "expected a Flyte task (a mapping with `pytorch:` or `elastic:`), `{taskFile: "
              "PATH}`, or the path of a task file or task template");
  }
  if (loaded) {
    loaded->where = at;
    plan->flyte = std::move(*loaded);
  }
}

flyte::TaskExecution AttemptExecution(const FlytePlan& plan, int64_t n) {
  flyte::TaskExecution e = plan.execution;
  e.retry_attempt = n;
  e.generated_name = flyte::GeneratedName(e.execution_id.name, e.node_id, n);
  return e;
}

std::optional<std::string> IgnoredGeneratedName(const flyte::TaskExecution& execution,
                                                const std::string& derived) {
  if (execution.generated_name == derived ||
      execution.generated_name == flyte::TaskExecution{}.generated_name) {
    return std::nullopt;
  }
  return fmt::format(
      "execution.generatedName \"{}\" is ignored: flytepropeller names the object from the "
      "execution name, the node id and the retry attempt: \"{}\"",
      execution.generated_name, derived);
}

std::set<std::string> RepeatedFlyteAttempts(const RunPlan& plan) {
  std::set<std::string> out;
  if (!plan.flyte) return out;
  for (const auto& a : plan.flyte->attempts) {
    if (a.number > 0) out.insert(a.kind + "/" + a.name);
  }
  return out;
}

int64_t MaxFlyteAttempts(const FlytePlan& plan) {
  flyte::NodeAttempts none;
  const auto user = flyte::IsEligibleForRetry(plan.retry, none, "USER").max_attempts;
  // Only pods fail with SYSTEM errors in ptsim (a SIGKILLed primary
  // container, an unknown pod failure, an object deleted under the task).
  const int64_t system = plan.RunsAsPod() ? plan.retry.max_node_retries_system_failures : 0;
  return std::max<int64_t>(1, user) + system;
}

void AddFlyteAttempts(RunPlan* plan, Diagnostics* diagnostics) {
  if (!plan->flyte) return;
  FlytePlan& f = *plan->flyte;
  for (auto& fault : plan->faults) {
    if (!fault.target.ns_given) fault.target.ns = f.execution.k8s_namespace;
  }
  if (auto warning = IgnoredGeneratedName(f.execution, AttemptExecution(f, 0).generated_name)) {
    f.warnings.push_back(*warning);
  }
  const int64_t attempts = MaxFlyteAttempts(f);
  for (int64_t n = 0; n < attempts; ++n) {
    auto built = BuildFlyteAttempt(f, n, plan->operator_version);
    if (!built.ok()) {
      // Every attempt differs only in its name: report the first one's problems.
      if (n == 0) diagnostics->Append(built.diagnostics());
      return;
    }
    FlyteAttemptObject& o = built.value();
    if (n == 0) {
      for (const auto& w : built.diagnostics().items()) {
        if (w.severity == Diagnostic::Severity::kWarning) {
          diagnostics->Warning(w.where, w.object, w.field, w.message);
        }
      }
    }
    FlytePlan::Attempt a;
    a.number = n;
    a.name = o.name;
    a.kind = o.kind;
    a.manifest = o.manifest;
    if (o.job) {
      a.index = plan->jobs.size();
      PlannedJob entry;
      entry.kind = &PyTorchJobKind();
      entry.object = AnyJob(std::make_shared<const PyTorchJob>(*o.job));
      entry.spec = o.manifest.value("spec", json());
      entry.locations = o.locations;
      plan->jobs.push_back(std::move(entry));
    } else {
      a.index = plan->pods.size();
      plan->pods.push_back(*o.pod);
      plan->pod_locations.push_back(f.where);
    }
    plan->deferred.insert(o.kind + "/" + o.name);
    f.attempts.push_back(std::move(a));
  }
}

}  // namespace ptsim
