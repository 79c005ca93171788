#include "sim/harness/scenario_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "fakes/operator/job_naming.hpp"
#include "sim/core/go_quote.hpp"
#include "sim/core/signals.hpp"
#include "sim/harness/flyte_plan.hpp"
#include "sim/harness/image_mapping.hpp"
#include "sim/model/container_script.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/pytorchjob_defaults.hpp"
#include "sim/model/user_regex.hpp"
#include "sim/model/yaml_file.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

void DecodeNodes(MapReader& cluster, RunPlan* plan) {
  YAML::Node nodes = cluster.Get("nodes");
  if (IsAbsent(nodes)) return;
  DecodeContext& ctx = cluster.ctx();
  const std::string path = cluster.FieldPath("nodes");
  if (nodes.IsScalar()) {
    std::int32_t count = 0;
    if (!ReadInt32(ctx, nodes, path, &count)) return;
    if (count < 1 || count > 10000) {
      ctx.Error(nodes, path, "the node count must be between 1 and 10000");
      return;
    }
    for (int i = 1; i <= count; ++i)
      plan->nodes.push_back(DefaultNode(fmt::format("node-{}", i)));
    return;
  }
  if (!nodes.IsSequence()) {
    ctx.Error(nodes, path, "expected a node count or a list of nodes");
    return;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    MapReader n(ctx, nodes[i], IndexPath(path, i));
    if (!n.ok()) continue;
    NodeConfig node = DefaultNode(fmt::format("node-{}", i + 1));
    n.String("name", &node.name);
    if (n.Has("capacity")) {
      ResourceList capacity;
      n.Quantities("capacity", &capacity);
      for (const auto& [k, v] : capacity)
        node.capacity[k] = v;
    } else {
      n.Get("capacity");
    }
    n.StringMap("labels", &node.labels);
    n.List<Taint>("taints", &node.taints,
                  [](DecodeContext& c, const YAML::Node& t, const std::string& p, Taint* out) {
                    MapReader m(c, t, p);
                    m.String("key", &out->key, true);
                    m.String("value", &out->value);
                    m.String("effect", &out->effect, true);
                  });
    if (!names.insert(node.name).second) {
      ctx.Error(nodes[i], IndexPath(path, i) + ".name",
                fmt::format("duplicate node name \"{}\"", node.name));
    }
    plan->nodes.push_back(std::move(node));
  }
}

bool ReadDurationAt(MapReader& m, const char* key, std::optional<Duration>* out) {
  m.OptDuration(key, out);
  return true;
}

FaultTarget::Mode ParseMode(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                            const std::string& text) {
  if (text.empty() || text == "all") return FaultTarget::Mode::kAll;
  if (text == "one") return FaultTarget::Mode::kOne;
  if (text == "fixed") return FaultTarget::Mode::kFixed;
  if (text == "fixed-percent") return FaultTarget::Mode::kFixedPercent;
  if (text == "random-max-percent") return FaultTarget::Mode::kRandomMaxPercent;
  ctx.Error(node, path,
            fmt::format("Unsupported value: \"{}\": supported values: \"one\", \"all\", \"fixed\", "
                        "\"fixed-percent\", \"random-max-percent\"",
                        text));
  return FaultTarget::Mode::kAll;
}

void DecodeFault(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                 FaultSpec* f) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  f->where = ctx.Where(node);
  m.String("name", &f->name);
  std::string action;
  m.String("action", &action, true);
  if (!action.empty()) {
    auto a = ParseFaultAction(action);
    if (!a) {
      ctx.Error(
          m.Get("action"), m.FieldPath("action"),
          fmt::format("unknown fault \"{}\"; faults are kill, exit, oom, freeze, thaw, delete, "
                      "force-delete, evict, node-down, node-up, cordon, uncordon, "
                      "image-pull-error, slow-start, suspend, resume and scale",
                      action));
    } else {
      f->action = *a;
    }
  }
  if (f->name.empty()) f->name = action;
  std::string signal;
  m.String("signal", &signal);
  if (!signal.empty()) {
    auto sig = ParseSignal(signal);
    if (!sig) {
      ctx.Error(m.Get("signal"), m.FieldPath("signal"),
                fmt::format("unknown signal \"{}\"; use a name like SIGKILL or a number", signal));
    } else {
      f->signal = *sig;
    }
  }
  m.Int32("exitCode", &f->exit_code);
  m.OptDuration("duration", &f->duration);
  m.DurationField("delay", &f->delay);
  m.OptInt64("gracePeriodSeconds", &f->grace_period);
  m.String("message", &f->message);
  std::optional<std::int32_t> replicas;
  m.OptInt32("replicas", &replicas);
  if (f->action == FaultAction::kScale) {
    if (!replicas) {
      ctx.Error(node, path, "scale needs `replicas`, the new number of replicas");
    } else if (*replicas < 0) {
      ctx.Error(m.Get("replicas"), m.FieldPath("replicas"), "replicas must not be negative");
    } else {
      f->replicas = *replicas;
    }
  } else if (replicas) {
    ctx.Error(m.Get("replicas"), m.FieldPath("replicas"), "`replicas` is for the scale action");
  }
  YAML::Node repeat = m.Get("repeat");
  if (!IsAbsent(repeat)) {
    if (repeat.IsScalar() && repeat.Scalar() == "always") {
      f->repeat = 0;
    } else {
      std::int32_t n = 1;
      if (ReadInt32(ctx, repeat, m.FieldPath("repeat"), &n)) {
        if (n < 1)
          ctx.Error(repeat, m.FieldPath("repeat"), "repeat must be at least 1, or \"always\"");
        f->repeat = n;
      }
    }
  }
  m.Nested("target", [&](MapReader& t) {
    t.String("pod", &f->target.pod);
    t.String("replicaType", &f->target.replica_type);
    std::optional<std::int32_t> index;
    t.OptInt32("replicaIndex", &index);
    if (index) f->target.replica_index = *index;
    t.String("selector", &f->target.selector);
    t.String("node", &f->target.node);
    t.String("job", &f->target.job);
    t.String("container", &f->target.container);
    std::string ns;
    t.String("namespace", &ns);
    if (!ns.empty()) {
      f->target.ns = ns;
      f->target.ns_given = true;
    }
    std::string mode;
    t.String("mode", &mode);
    f->target.mode = ParseMode(ctx, t.Get("mode"), t.FieldPath("mode"), mode);
    t.Int32("value", &f->target.value);
    const int given = (f->target.pod.empty() ? 0 : 1) + (f->target.replica_type.empty() ? 0 : 1) +
                      (f->target.selector.empty() ? 0 : 1) + (f->target.node.empty() ? 0 : 1);
    if (given > 1) {
      ctx.Error(t.node(), t.path(), "give only one of pod, replicaType, selector and node");
    }
    if (!f->target.replica_type.empty() && f->target.replica_type != kReplicaTypeMaster &&
        f->target.replica_type != kReplicaTypeWorker) {
      ctx.Error(t.Get("replicaType"), t.FieldPath("replicaType"),
                fmt::format("Unsupported value: \"{}\": supported values: \"Master\", \"Worker\"",
                            f->target.replica_type));
    }
    if (f->target.replica_index && f->target.replica_type.empty()) {
      ctx.Error(t.Get("replicaIndex"), t.FieldPath("replicaIndex"),
                "replicaIndex needs replicaType");
    }
    if (!f->target.selector.empty()) {
      auto sel = LabelSelector::Parse(f->target.selector);
      if (!sel.ok()) {
        for (const auto& d : sel.diagnostics().items())
          ctx.Error(t.Get("selector"), t.FieldPath("selector"), d.message);
      }
    }
    const bool counted = f->target.mode == FaultTarget::Mode::kFixed ||
                         f->target.mode == FaultTarget::Mode::kFixedPercent ||
                         f->target.mode == FaultTarget::Mode::kRandomMaxPercent;
    if (counted && f->target.value <= 0) {
      ctx.Error(t.node(), t.FieldPath("value"), "this mode needs a positive `value`");
    }
    if ((f->target.mode == FaultTarget::Mode::kFixedPercent ||
         f->target.mode == FaultTarget::Mode::kRandomMaxPercent) &&
        f->target.value > 100) {
      ctx.Error(t.Get("value"), t.FieldPath("value"), "a percentage must be at most 100");
    }
  });
  m.Nested("when", [&](MapReader& w) {
    std::optional<Duration> at, every, after;
    ReadDurationAt(w, "at", &at);
    ReadDurationAt(w, "every", &every);
    ReadDurationAt(w, "afterRunning", &after);
    f->when.at = at;
    f->when.every = every;
    f->when.after_running = after;
    w.String("logLine", &f->when.log_line);
    if (!f->when.log_line.empty()) {
      std::string why;
      f->when.log_regex = CompileUserRegex(f->when.log_line, &why);
      if (!f->when.log_regex) {
        ctx.Error(w.Get("logLine"), w.FieldPath("logLine"),
                  fmt::format("bad regular expression {}: {}", GoQuote(f->when.log_line), why));
      }
    }
    std::optional<std::int32_t> incarnation;
    w.OptInt32("incarnation", &incarnation);
    if (incarnation) {
      if (*incarnation < 1)
        ctx.Error(w.Get("incarnation"), w.FieldPath("incarnation"), "incarnations count from 1");
      f->when.incarnation = *incarnation;
    }
    w.String("condition", &f->when.condition);
    static const std::set<std::string> kConditions = {"Created",   "Running", "Restarting",
                                                      "Succeeded", "Failed",  "Suspended"};
    if (!f->when.condition.empty() && !kConditions.count(f->when.condition)) {
      ctx.Error(
          w.Get("condition"), w.FieldPath("condition"),
          fmt::format("Unsupported value: \"{}\": supported values: \"Created\", \"Running\", "
                      "\"Restarting\", \"Succeeded\", \"Failed\", \"Suspended\"",
                      f->when.condition));
    }
    w.DurationField("delay", &f->when.delay);
    const int kinds = (f->when.at ? 1 : 0) + (f->when.after_running ? 1 : 0) +
                      (f->when.log_line.empty() ? 0 : 1) + (f->when.condition.empty() ? 0 : 1);
    if (kinds > 1) {
      ctx.Error(w.node(), w.path(),
                "give one trigger: at, afterRunning, logLine or condition (incarnation may "
                "accompany afterRunning or logLine)");
    }
    if (f->when.every && !f->when.at) ctx.Error(w.node(), w.path(), "`every` needs `at`");
  });
  ValidateFaultSpec(*f, &ctx.diagnostics());
}

ConditionPattern ReadConditionPattern(DecodeContext& ctx, const YAML::Node& node,
                                      const std::string& path) {
  ConditionPattern p;
  static const std::set<std::string> kTypes = {"Created",   "Running", "Restarting",
                                               "Succeeded", "Failed",  "Suspended"};
  if (node.IsScalar()) {
    std::string text = node.Scalar();
    if (auto eq = text.find('='); eq != std::string::npos) {
      p.status = text.substr(eq + 1);
      text = text.substr(0, eq);
    }
    p.type = text;
  } else {
    MapReader m(ctx, node, path);
    m.String("type", &p.type, true);
    m.String("status", &p.status);
    m.String("reason", &p.reason);
    m.String("message", &p.message_text);
    if (!p.message_text.empty()) {
      std::string why;
      p.message = CompileUserRegex(p.message_text, &why);
      if (!p.message) {
        ctx.Error(m.Get("message"), m.FieldPath("message"),
                  fmt::format("bad regular expression {}: {}", GoQuote(p.message_text), why));
      }
    }
    m.OptDuration("after", &p.after);
    m.OptDuration("before", &p.before);
  }
  if (!p.type.empty() && !kTypes.count(p.type)) {
    ctx.Error(
        node, path,
        fmt::format("unknown condition type \"{}\"; PyTorchJob conditions are Created, Running, "
                    "Restarting, Succeeded, Failed and Suspended",
                    p.type));
  }
  if (p.status != "True" && p.status != "False" && p.status != "Unknown") {
    ctx.Error(node, path,
              fmt::format("condition status must be True, False or Unknown, not \"{}\"", p.status));
  }
  return p;
}

void ReadRegex(MapReader& m, const char* key, ExpectationSpec* e) {
  m.String(key, &e->message_text);
  if (e->message_text.empty()) return;
  std::string why;
  e->message = CompileUserRegex(e->message_text, &why);
  if (!e->message) {
    m.ctx().Error(m.Get(key), m.FieldPath(key),
                  fmt::format("bad regular expression {}: {}", GoQuote(e->message_text), why));
  }
}

void ReadBounds(MapReader& m, ExpectationSpec* e) {
  std::optional<std::int32_t> v;
  m.OptInt32("equals", &v);
  if (v) e->equals = *v;
  v.reset();
  m.OptInt32("min", &v);
  if (v) e->min = *v;
  v.reset();
  m.OptInt32("max", &v);
  if (v) e->max = *v;
}

// `attempt: N` (a restartCount), `last` or `any`.
void ReadAttempt(MapReader& m, ExpectationSpec* e) {
  YAML::Node n = m.Get("attempt");
  if (IsAbsent(n)) return;
  if (n.IsScalar() && n.Scalar() == "any") {
    e->any_attempt = true;
    return;
  }
  if (n.IsScalar() && n.Scalar() == "last") return;
  std::int32_t v = 0;
  if (!ReadInt32(m.ctx(), n, m.FieldPath("attempt"), &v)) return;
  if (v < 0) {
    m.ctx().Error(n, m.FieldPath("attempt"),
                  "attempt is a restartCount (0 for the first run), `last` or `any`");
    return;
  }
  e->attempt = v;
}

void DecodeExpectation(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                       ExpectationSpec* e) {
  using K = ExpectationSpec::Kind;
  e->where = ctx.Where(node);
  MapReader outer(ctx, node, path);
  if (!outer.ok()) return;
  // One key says what is expected; `job` may name the PyTorchJob it is about.
  std::string key;
  YAML::Node value;
  std::size_t keys = 0;
  for (const auto& kv : node) {
    if (kv.first.Scalar() == "job" && node.size() > 1) continue;
    key = kv.first.Scalar();
    value = kv.second;
    ++keys;
  }
  if (keys != 1) {
    ctx.Error(node, path,
              "each expectation is a mapping with exactly one key (and optionally `job`), e.g. "
              "`- finalCondition: {type: Succeeded}`");
    for (const auto& kv : node)
      outer.Accept(kv.first.Scalar());
    return;
  }
  if (node.size() > 1) {
    outer.String("job", &e->job, true);
    static const std::set<std::string> kJobLevel = {"finalCondition", "conditions",
                                                    "neverCondition", "jobDeleted"};
    if (!kJobLevel.count(key)) {
      ctx.Error(outer.Get("job"), outer.FieldPath("job"),
                fmt::format("`job` is for finalCondition, conditions, neverCondition and "
                            "jobDeleted, not {}",
                            key));
    }
  }
  const std::string vpath = outer.FieldPath(key);
  auto names = [&](K kind) {
    e->kind = kind;
    outer.StringList(key, &e->names);
  };
  auto window = [&](MapReader& m) {
    m.OptDuration("after", &e->after);
    m.OptDuration("before", &e->before);
  };
  if (key == "finalCondition") {
    e->kind = K::kFinalCondition;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("type", &e->condition.type, true);
    m.String("status", &e->condition.status);
    m.String("reason", &e->condition.reason);
    ReadRegex(m, "message", e);
    static const std::set<std::string> kTypes = {"Created",   "Running", "Restarting",
                                                 "Succeeded", "Failed",  "Suspended"};
    if (!e->condition.type.empty() && !kTypes.count(e->condition.type)) {
      ctx.Error(value, vpath + ".type",
                fmt::format("unknown condition type \"{}\"; PyTorchJob conditions are Created, "
                            "Running, Restarting, Succeeded, Failed and Suspended",
                            e->condition.type));
    }
  } else if (key == "conditions") {
    e->kind = K::kConditions;
    YAML::Node list = outer.Get(key);
    if (!list.IsSequence() || list.size() == 0) {
      ctx.Error(list, vpath,
                "expected a non-empty list of conditions, e.g. [Created, Running, Succeeded]");
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i)
      e->sequence.push_back(ReadConditionPattern(ctx, list[i], IndexPath(vpath, i)));
  } else if (key == "restartCount") {
    e->kind = K::kRestartCount;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("pod", &e->pod);
    m.String("container", &e->container);
    m.String("replicaType", &e->replica_type);
    ReadBounds(m, e);
    if (e->pod.empty() == e->replica_type.empty())
      ctx.Error(value, vpath, "give either pod or replicaType");
    if (!e->equals && !e->min && !e->max) ctx.Error(value, vpath, "give equals, min or max");
  } else if (key == "podsExist") {
    names(K::kPodsExist);
  } else if (key == "podsDeleted") {
    names(K::kPodsDeleted);
  } else if (key == "servicesExist") {
    names(K::kServicesExist);
  } else if (key == "servicesDeleted") {
    names(K::kServicesDeleted);
  } else if (key == "jobDeleted") {
    e->kind = K::kJobDeleted;
    outer.Get(key);
    if (value.IsScalar()) {
      bool b = true;
      if (ReadBool(ctx, value, vpath, &b) && !b) e->kind = K::kJobNotDeleted;
    } else {
      MapReader m(ctx, value, vpath);
      window(m);
    }
  } else if (key == "event") {
    e->kind = K::kEvent;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("reason", &e->reason, true);
    m.String("object", &e->object);
    ReadRegex(m, "message", e);
    ReadBounds(m, e);
  } else if (key == "env") {
    e->kind = K::kEnv;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("pod", &e->pod, true);
    m.String("container", &e->container);
    m.String("name", &e->env_name, true);
    YAML::Node v = m.Get("value");
    if (!IsAbsent(v)) {
      std::string s;
      if (ReadString(ctx, v, m.FieldPath("value"), &s)) e->env_value = s;
    }
    std::optional<bool> declared;
    m.OptBool("declared", &declared);
    e->resolved = !declared.value_or(false);
  } else if (key == "duration") {
    e->kind = K::kDuration;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.OptDuration("min", &e->after);
    m.OptDuration("max", &e->before);
  } else if (key == "podPhase") {
    e->kind = K::kPodPhase;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("pod", &e->pod, true);
    m.String("phase", &e->phase, true);
  } else if (key == "outcome") {
    e->kind = K::kOutcome;
    outer.String(key, &e->outcome);
    if (e->outcome != "completed" && e->outcome != "timedOut") {
      ctx.Error(value, vpath, "outcome is completed or timedOut");
    }
  } else if (key == "note") {
    e->kind = K::kNote;
    ReadRegex(outer, key.c_str(), e);
  } else if (key == "flytePhase") {
    e->kind = K::kFlytePhase;
    outer.String(key, &e->phase);
  } else if (key == "flyte") {
    e->kind = K::kFlyte;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    auto flyte = std::make_shared<FlyteExpectation>();
    DecodeFlyteExpectation(m, flyte.get());
    e->flyte = flyte;
  } else if (key == "neverCondition") {
    e->kind = K::kNeverCondition;
    e->condition = ReadConditionPattern(ctx, outer.Get(key), vpath);
  } else if (key == "termination") {
    e->kind = K::kTermination;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("pod", &e->pod, true);
    m.String("container", &e->container);
    ReadAttempt(m, e);
    m.String("reason", &e->reason);
    std::optional<std::int32_t> v;
    m.OptInt32("exitCode", &v);
    e->exit_code = v;
    v.reset();
    m.OptInt32("signal", &v);
    e->signal = v;
    if (e->reason.empty() && !e->exit_code && !e->signal)
      ctx.Error(value, vpath, "give reason, exitCode or signal");
  } else if (key == "log") {
    e->kind = K::kLog;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("pod", &e->pod, true);
    m.String("container", &e->container);
    ReadAttempt(m, e);
    ReadRegex(m, "matches", e);
    if (e->message_text.empty()) ctx.Error(value, vpath, "give matches: a regular expression");
    ReadBounds(m, e);
  } else if (key == "fault") {
    e->kind = K::kFault;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("name", &e->target, true);
    std::optional<std::int32_t> fired;
    m.OptInt32("fired", &fired);
    if (fired) e->equals = *fired;
    ReadBounds(m, e);
  } else if (key == "file") {
    e->kind = K::kFile;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("path", &e->target, true);
    ReadRegex(m, "matches", e);
    m.OptBool("exists", &e->exists);
    if (!e->target.empty() && std::filesystem::path(e->target).is_absolute())
      ctx.Error(
          m.Get("path"), m.FieldPath("path"),
          "give a path relative to the run directory, e.g. volumes/default/<claim>/result.json");
  } else if (key == "report") {
    e->kind = K::kReport;
    outer.Get(key);
    MapReader m(ctx, value, vpath);
    m.String("path", &e->target, true);
    try {
      (void)nlohmann::json::json_pointer(e->target);
    } catch (const nlohmann::json::exception&) {
      ctx.Error(m.Get("path"), m.FieldPath("path"),
                fmt::format("\"{}\" is not a JSON pointer; write e.g. "
                            "/job/status/replicaStatuses/Worker/failed",
                            e->target));
    }
    if (YAML::Node equals = m.Get("equals"); !IsAbsent(equals)) {
      std::string why;
      e->value = YamlToJson(equals, &why);
      if (!e->value) ctx.Error(equals, m.FieldPath("equals"), why);
    }
    ReadRegex(m, "matches", e);
    YAML::Node lo = m.Get("min"), hi = m.Get("max");
    double d = 0;
    if (!IsAbsent(lo) && ReadDouble(ctx, lo, m.FieldPath("min"), &d)) e->number_min = d;
    if (!IsAbsent(hi) && ReadDouble(ctx, hi, m.FieldPath("max"), &d)) e->number_max = d;
    m.OptBool("exists", &e->exists);
    if (!e->value && e->message_text.empty() && !e->number_min && !e->number_max && !e->exists)
      ctx.Error(value, vpath, "give equals, matches, min, max or exists");
  } else {
    outer.Get(key);
    ctx.Error(
        node.begin()->first, vpath,
        fmt::format("unknown expectation \"{}\"; expectations are finalCondition, conditions, "
                    "restartCount, podsExist, podsDeleted, servicesExist, servicesDeleted, "
                    "jobDeleted, event, env, duration, podPhase, outcome, note, flytePhase, "
                    "flyte, neverCondition, termination, log, fault, file and report",
                    key));
  }
}

// Adds every Kubernetes object in the manifest file `relative` (resolved from
// the scenario's directory).
void LoadManifestFile(DecodeContext& ctx, const YAML::Node& at, const std::string& relative,
                      RunPlan* plan,
                      const std::function<void(DecodeContext&, const YAML::Node&, RunPlan*)>& add) {
  const std::filesystem::path path = std::filesystem::path(ctx.file()).parent_path() / relative;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    ctx.Error(at, "jobFile",
              fmt::format("cannot read {}: no such file or it is not readable", path.string()));
    return;
  }
  // The same reading and guards as any input file (yaml_file.hpp).
  auto file = ReadYamlFile(path.string());
  Diagnostics& diags = ctx.diagnostics();
  diags.Append(file.diagnostics());
  if (!file.ok()) return;
  DecodeContext file_ctx(path.string(), &diags);
  for (const auto& doc : file->documents)
    add(file_ctx, doc, plan);
}

}  // namespace

void DecodeScenario(
    DecodeContext& ctx, const YAML::Node& document, RunPlan* plan, const PlanOverrides& overrides,
    const std::function<void(DecodeContext&, const YAML::Node&, RunPlan*)>& add_document) {
  plan->is_scenario = true;
  MapReader m(ctx, document, "");
  if (!m.ok()) return;
  m.Accept({"apiVersion", "kind"});
  std::string name;
  m.String("name", &name);
  ctx.set_object(fmt::format("Scenario \"{}\"", name.empty() ? plan->name : name));
  if (!name.empty()) {
    if (auto why = CheckDns1123Label(name); !why.empty()) {
      ctx.Error(m.Get("name"), "name", fmt::format("Invalid value: \"{}\": {}", name, why));
    }
    plan->name = name;
  }
  m.String("description", &plan->description);
  std::optional<std::int64_t> seed;
  m.OptInt64("seed", &seed);
  if (seed) plan->seed = static_cast<std::uint64_t>(*seed);
  std::optional<Duration> timeout;
  m.OptDuration("timeout", &timeout);
  if (timeout) {
    if (*timeout <= Duration{0})
      ctx.Error(m.Get("timeout"), "timeout", "the timeout must be positive");
    plan->timeout = *timeout;
  }
  std::string version;
  m.String("operatorVersion", &version);
  if (!version.empty()) {
    auto release = ResolveOperatorRelease(version);
    if (!release) {
      ctx.Error(m.Get("operatorVersion"), "operatorVersion",
                fmt::format("unknown operator version \"{}\"; choose one of {}", version,
                            OperatorVersionChoices()));
    } else if (!overrides.operator_version) {
      plan->operator_version = release->profile;
      if (auto line = DescribeOperatorRelease(*release); !line.empty()) {
        plan->notes.push_back({line, ""});
      }
    }
  }
  std::string torchrun;
  m.String("torchrun", &torchrun);
  if (!torchrun.empty()) {
    auto policy = elastic::ParseElasticPolicy(torchrun);
    if (!policy) {
      ctx.Error(
          m.Get("torchrun"), "torchrun",
          fmt::format("unknown torchrun mode \"{}\"; choose auto, emulate or real", torchrun));
    } else if (!overrides.torchrun) {
      plan->torchrun = *policy;
    }
  }
  std::string torch_version;
  m.String("torchVersion", &torch_version);
  if (!torch_version.empty()) {
    auto v = elastic::ParseTorchVersion(torch_version);
    if (!v) {
      ctx.Error(m.Get("torchVersion"), "torchVersion",
                fmt::format("unknown torch version \"{}\"; choose 1.13 or 2", torch_version));
    } else if (!overrides.torch_version) {
      plan->torch_version = *v;
    }
  }
  m.Nested("cluster", [&](MapReader& c) { DecodeNodes(c, plan); });
  DecodeImageMap(ctx, m.Get("images"), plan->working_dir, false, &plan->images);
  const std::string object = ctx.object();
  int sources = 0;
  YAML::Node job = m.Get("job");
  if (!IsAbsent(job)) {
    ++sources;
    add_document(ctx, job, plan);
  }
  std::string job_file;
  m.String("jobFile", &job_file);
  if (!job_file.empty()) {
    ++sources;
    LoadManifestFile(ctx, m.Get("jobFile"), job_file, plan, add_document);
  }
  YAML::Node pods = m.Get("pods");
  if (!IsAbsent(pods)) {
    if (!pods.IsSequence()) {
      ctx.Error(pods, "pods", "expected a list of Pod manifests");
    } else {
      for (const auto& pod : pods)
        add_document(ctx, pod, plan);
    }
  }
  // A Flyte task (flyte_plan.hpp): its attempts are added once the plan is complete.
  YAML::Node flyte = m.Get("flyte");
  if (!IsAbsent(flyte)) {
    ++sources;
    DecodeFlyteSection(ctx, flyte, plan);
  }
  ctx.set_object(object);
  if (sources > 1) {
    ctx.Error(document, "", "give the job once: either `job`, `jobFile` or `flyte`");
  }
  m.List<FaultSpec>("faults", &plan->faults, DecodeFault);
  m.List<ExpectationSpec>("expect", &plan->expectations, DecodeExpectation);
}

void CheckPlanReferences(const RunPlan& plan, Diagnostics* diagnostics) {
  // Every pod the plan can create: its name and labels.
  std::map<std::string, Labels> pods;
  std::set<std::string> types;
  for (const auto& p : plan.pods)
    pods[p.metadata.name] = p.metadata.labels;
  for (const auto& entry : plan.jobs) {
    const PyTorchJob* written = entry.As<PyTorchJob>();
    if (!written || !written->spec.pytorch_replica_specs) continue;
    const PyTorchJob job = SetDefaults_PyTorchJob(*written);
    for (const auto& [rtype, spec] : *job.spec.pytorch_replica_specs) {
      types.insert(rtype);
      const int replicas = spec.replicas.value_or(1);
      // Allow for scaling: indexes up to the elastic maximum.
      int most = replicas;
      if (job.spec.elastic_policy && job.spec.elastic_policy->max_replicas) {
        most = std::max(most, *job.spec.elastic_policy->max_replicas);
      }
      // ... and up to the largest `scale` fault aimed at this job and replica type.
      for (const auto& f : plan.faults) {
        if (f.action != FaultAction::kScale || f.target.replica_type != rtype) continue;
        if (!f.target.job.empty() && f.target.job != job.metadata.name) continue;
        most = std::max(most, f.replicas);
      }
      for (int i = 0; i < most; ++i) {
        Labels labels = spec.template_.metadata.labels;
        for (const auto& [k, v] : GenLabels(job.metadata.name))
          labels[k] = v;
        labels[kReplicaTypeLabel] = ToLower(rtype);
        labels[kReplicaIndexLabel] = std::to_string(i);
        pods[GenGeneralName(job.metadata.name, rtype, i)] = labels;
      }
    }
  }
  std::set<std::string> nodes;
  for (const auto& n : plan.nodes)
    nodes.insert(n.name);
  auto known_pods = [&] {
    std::vector<std::string> names;
    for (const auto& [n, l] : pods)
      names.push_back(n);
    return fmt::format("{}", fmt::join(names, ", "));
  };
  // The PyTorchJobs by name, for faults and expectations that name one.
  std::vector<std::string> job_names;
  for (const auto& entry : plan.jobs)
    job_names.push_back(entry.name());
  auto unknown_job = [&](const std::string& name) {
    return std::find(job_names.begin(), job_names.end(), name) == job_names.end()
               ? fmt::format("no PyTorchJob named \"{}\" in this run; jobs: {}", name,
                             fmt::join(job_names, ", "))
               : std::string();
  };
  for (const auto& f : plan.faults) {
    const std::string object = fmt::format("fault \"{}\"", f.name);
    const FaultTarget& t = f.target;
    if (JobLevel(f.action)) {
      const std::string problem = job_names.empty() ? "this run has no PyTorchJob to edit"
                                  : t.job.empty()   ? ""
                                                    : unknown_job(t.job);
      if (!problem.empty()) {
        diagnostics->Error(f.where, object, "target.job", problem);
      }
      if (f.action == FaultAction::kScale && t.replica_type.empty()) {
        diagnostics->Error(f.where, object, "target.replicaType",
                           "scale needs target.replicaType, the replica type to scale");
      }
    } else if (!t.job.empty()) {
      diagnostics->Error(f.where, object, "target.job",
                         "target.job is for suspend, resume and scale; pick pods by pod, "
                         "replicaType, selector or node");
    }
    if (!t.pod.empty() && !pods.count(t.pod)) {
      diagnostics->Error(
          f.where, object, "target.pod",
          fmt::format("no pod named \"{}\" can exist in this run; pods: {}", t.pod, known_pods()));
    }
    if (!t.replica_type.empty() && !types.count(t.replica_type)) {
      diagnostics->Error(f.where, object, "target.replicaType",
                         fmt::format("the job has no {} replicas", t.replica_type));
    }
    if (t.replica_index && !t.replica_type.empty() &&
        !pods.count(GenGeneralName(plan.jobs.empty() ? "" : plan.jobs.front().name(),
                                   t.replica_type, *t.replica_index))) {
      diagnostics->Error(
          f.where, object, "target.replicaIndex",
          fmt::format("the job has no {} replica with index {}", t.replica_type, *t.replica_index));
    }
    if (!t.node.empty() && !nodes.count(t.node)) {
      diagnostics->Error(f.where, object, "target.node",
                         fmt::format("no node named \"{}\" in the cluster", t.node));
    }
    if (!t.selector.empty()) {
      auto sel = LabelSelector::Parse(t.selector);
      for (const auto& d : sel.diagnostics().items())
        diagnostics->Error(f.where, object, "target.selector", d.message);
      bool any = false;
      if (sel.ok()) {
        for (const auto& [n, labels] : pods)
          any = any || sel->Matches(labels);
      }
      if (sel.ok() && !any) {
        diagnostics->Error(f.where, object, "target.selector",
                           fmt::format("selector \"{}\" matches no pod of this run", t.selector));
      }
    }
    const bool node_action = f.action == FaultAction::kNodeDown ||
                             f.action == FaultAction::kNodeUp || f.action == FaultAction::kCordon ||
                             f.action == FaultAction::kUncordon;
    if (node_action && t.node.empty() && t.pod.empty() && t.replica_type.empty() &&
        t.selector.empty()) {
      diagnostics->Error(f.where, object, "target",
                         "a node fault needs a node (or a pod whose node it hits)");
    }
  }
  for (const auto& e : plan.expectations) {
    using K = ExpectationSpec::Kind;
    const std::string object = fmt::format("expectation \"{}\"", DescribeExpectation(e));
    auto check_pod = [&](const std::string& name) {
      if (!pods.count(name)) {
        diagnostics->Error(
            e.where, object, "",
            fmt::format("no pod named \"{}\" can exist in this run; pods: {}", name, known_pods()));
      }
    };
    switch (e.kind) {
      case K::kRestartCount:
        if (!e.pod.empty()) check_pod(e.pod);
        if (!e.replica_type.empty() && !types.count(e.replica_type)) {
          diagnostics->Error(e.where, object, "",
                             fmt::format("the job has no {} replicas", e.replica_type));
        }
        break;
      case K::kPodsExist:
      case K::kPodsDeleted:
      case K::kServicesExist:
      case K::kServicesDeleted:
        for (const auto& n : e.names) {
          // Services share their pod's name.
          check_pod(n);
        }
        break;
      case K::kEnv:
      case K::kPodPhase:
      case K::kTermination:
      case K::kLog:
        check_pod(e.pod);
        break;
      case K::kFault: {
        bool known = false;
        std::vector<std::string> names;
        for (const auto& f : plan.faults) {
          known = known || f.name == e.target;
          if (!f.name.empty()) names.push_back(f.name);
        }
        if (!known) {
          diagnostics->Error(
              e.where, object, "",
              fmt::format(
                  "no fault named \"{}\"; faults: {}", e.target,
                  names.empty() ? "none with a name" : fmt::format("{}", fmt::join(names, ", "))));
        }
        break;
      }
      case K::kFinalCondition:
      case K::kConditions:
      case K::kNeverCondition:
      case K::kJobDeleted:
      case K::kJobNotDeleted: {
        if (plan.jobs.empty()) {
          diagnostics->Error(e.where, object, "", "this run has no PyTorchJob");
          break;
        }
        if (e.job.empty()) break;
        if (const std::string problem = unknown_job(e.job); !problem.empty()) {
          diagnostics->Error(e.where, object, "job", problem);
        }
        break;
      }
      case K::kFlyte:
      case K::kFlytePhase:
        if (!plan.flyte) diagnostics->Error(e.where, object, "", "this run has no Flyte task");
        break;
      default:
        break;
    }
  }
}

}  // namespace ptsim
