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
#include "sim/harness/expectations/registry.hpp"
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
    if (!entry.job.spec.pytorch_replica_specs) continue;
    const PyTorchJob job = SetDefaults_PyTorchJob(entry.job);
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
    job_names.push_back(entry.job.metadata.name);
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
        !pods.count(GenGeneralName(plan.jobs.empty() ? "" : plan.jobs.front().job.metadata.name,
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
  PlanFacts facts;
  for (const auto& [name, labels] : pods)
    facts.pods.insert(name);
  facts.replica_types = types;
  facts.jobs = job_names;
  for (const auto& f : plan.faults) {
    if (!f.name.empty()) facts.faults.push_back(f.name);
  }
  facts.flyte = plan.flyte.has_value();
  CheckExpectationReferences(plan.expectations, facts, diagnostics);
}

}  // namespace ptsim
