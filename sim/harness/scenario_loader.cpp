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
#include "sim/harness/faults/fault_references.hpp"
#include "sim/harness/faults/yaml_fault_fields.hpp"
#include "sim/harness/flyte_plan.hpp"
#include "sim/harness/image_mapping.hpp"
#include "sim/harness/plan_objects.hpp"
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
  std::string trainer_version;
  m.String("trainerVersion", &trainer_version);
  if (!trainer_version.empty()) {
    auto profile = ParseTrainerVersion(trainer_version);
    if (!profile) {
      ctx.Error(m.Get("trainerVersion"), "trainerVersion",
                fmt::format("unknown Trainer version \"{}\"; choose one of {}", trainer_version,
                            kTrainerVersions));
    } else if (!overrides.trainer_version) {
      plan->trainer_profile = *profile;
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
  const PlanObjects objects = WhatThePlanCanCreate(plan);
  for (const auto& f : plan.faults)
    CheckFaultReferences(f, objects, diagnostics);
  PlanFacts facts;
  for (const auto& [name, labels] : objects.pods)
    facts.pods.insert(name);
  facts.replica_types = objects.types;
  facts.jobs = objects.jobs;
  for (const auto& f : plan.faults) {
    if (!f.name.empty()) facts.faults.push_back(f.name);
  }
  facts.flyte = plan.flyte.has_value();
  CheckExpectationReferences(plan.expectations, facts, diagnostics);
}

}  // namespace ptsim
