#include "sim/harness/input_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/harness/document_kind.hpp"
#include "sim/harness/flyte_plan.hpp"
#include "sim/harness/host_paths.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/harness/likely_typos.hpp"
#include "sim/harness/manifest_paths.hpp"
#include "sim/harness/scenario_loader.hpp"
#include "sim/harness/trainjob_kind.hpp"
#include "sim/model/container_script.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/pytorchjob_validation.hpp"
#include "sim/model/yaml_file.hpp"
#include "sim/model/yaml_reader.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

std::string Scalar(const YAML::Node& node, const char* key) {
  if (!node.IsMap()) return "";
  const YAML::Node& const_node = node;
  YAML::Node v = const_node[key];
  return v.IsDefined() && v.IsScalar() ? v.Scalar() : "";
}

void AddDocument(DecodeContext& ctx, const YAML::Node& doc, RunPlan* plan, int depth,
                 const PlanOverrides& overrides);

void AddPod(DecodeContext& ctx, const YAML::Node& doc, RunPlan* plan) {
  Pod pod;
  const std::string name = [&] {
    const YAML::Node& d = doc;
    YAML::Node md = d["metadata"];
    return md.IsDefined() && md.IsMap() ? Scalar(md, "name") : std::string();
  }();
  ctx.set_object(fmt::format("Pod \"{}\"", name));
  const int errors_before = ctx.diagnostics().errors();
  {
    MapReader m(ctx, doc, "");
    DecodePod(m, &pod);
  }
  if (ctx.diagnostics().errors() == errors_before) {
    if (pod.metadata.name.empty() && pod.metadata.generate_name.empty()) {
      ctx.Error(doc, "metadata.name", "Required value: name or generateName is required");
    } else if (!pod.metadata.name.empty()) {
      if (auto why = CheckDns1123Subdomain(pod.metadata.name); !why.empty()) {
        ctx.Error(doc, "metadata.name",
                  fmt::format("Invalid value: \"{}\": {}", pod.metadata.name, why));
      }
    }
    const YAML::Node& d = doc;
    ValidatePodSpec(ctx, d["spec"], "spec", pod.spec);
    for (const auto& [key, value] : pod.metadata.annotations) {
      if (key.rfind("script.ptsim.io/", 0) != 0) continue;
      const std::string container = key.substr(16);
      if (!pod.FindContainer(container)) {
        ctx.Error(d["metadata"]["annotations"], "metadata.annotations[" + key + "]",
                  fmt::format("no container named \"{}\" in this pod", container));
      }
      auto script =
          ParseContainerScript(value, ctx.Where(d["metadata"]["annotations"]), ctx.object());
      ctx.diagnostics().Append(script.diagnostics());
    }
  }
  ResolveWorkingDirs(&pod.spec, ctx.file());
  plan->pods.push_back(std::move(pod));
  plan->pod_locations.push_back(ctx.Where(doc));
}

// A job of any kind (job_kind.hpp).
void AddJob(DecodeContext& ctx, const YAML::Node& doc, const JobKind& kind, RunPlan* plan) {
  plan->jobs.push_back(kind.Decode(ctx, doc, plan->operator_version, &plan->notes));
}

void AddDocument(DecodeContext& ctx, const YAML::Node& doc, RunPlan* plan, int depth,
                 const PlanOverrides& overrides) {
  if (IsAbsent(doc)) return;
  if (!doc.IsMap()) {
    ctx.set_object("");
    ctx.Error(doc, "", "expected a Kubernetes object (a mapping with apiVersion and kind)");
    return;
  }
  const std::string api_version = Scalar(doc, "apiVersion");
  const std::string kind = Scalar(doc, "kind");
  if (kind.empty() && (LooksLikeFlyteTaskFile(doc) || LooksLikeFlyteTemplate(doc))) {
    // A Flyte task file or task template (flyte_plan.hpp).
    ctx.set_object("");
    if (plan->flyte) {
      ctx.Error(doc, "", "a file holds at most one Flyte task");
      return;
    }
    auto flyte = LooksLikeFlyteTaskFile(doc) ? FlytePlanFromTaskFile(doc, ctx.file())
                                             : FlytePlanFromTemplate(doc, ctx.file());
    ctx.diagnostics().Append(flyte.diagnostics());
    if (flyte.ok()) plan->flyte = std::move(flyte.value());
    return;
  }
  if (kind.empty()) {
    ctx.set_object("");
    ctx.Error(doc, "kind", "Required value: every object needs apiVersion and kind");
    return;
  }
  const DocumentKind document = ClassifyDocument(api_version, kind);
  if (document == DocumentKind::kPod) {
    AddPod(ctx, doc, plan);
  } else if (document == DocumentKind::kJob) {
    AddJob(ctx, doc, *FindJobKind(api_version, kind), plan);
  } else if (document == DocumentKind::kRuntime) {
    AddTrainingRuntime(ctx, doc, plan);
  } else if (document == DocumentKind::kScenario && depth > 0) {
    ctx.set_object("");
    ctx.Error(doc["kind"], "kind",
              "a Scenario cannot hold another Scenario: give a Pod or a PyTorchJob");
  } else if (document == DocumentKind::kScenario) {
    DecodeScenario(ctx, doc, plan, overrides,
                   [&overrides](DecodeContext& c, const YAML::Node& d, RunPlan* p) {
                     AddDocument(c, d, p, 1, overrides);
                   });
  } else if (document == DocumentKind::kList) {
    const YAML::Node& d = doc;
    YAML::Node items = d["items"];
    if (IsAbsent(items)) return;
    if (!items.IsSequence()) {
      ctx.Error(items, "items", "expected a list of objects");
      return;
    }
    for (const auto& item : items)
      AddDocument(ctx, item, plan, depth + 1, overrides);
  } else if (std::string problem = MisspeltKindProblem(api_version, kind); !problem.empty()) {
    ctx.set_object("");
    ctx.Error(doc["kind"], "kind", std::move(problem));
  } else {
    const YAML::Node& d = doc;
    std::string name;
    if (d["metadata"].IsDefined() && d["metadata"].IsMap()) name = Scalar(d["metadata"], "name");
    plan->ignored.push_back(fmt::format("{}/{}", kind, name));
  }
}

}  // namespace

Result<RunPlan> LoadRunPlan(const std::string& path, const PlanOverrides& overrides) {
  Diagnostics diags;
  RunPlan plan;
  plan.source_file = path;
  std::filesystem::path p(path);
  plan.name = p.stem().string();
  std::error_code ec;
  plan.working_dir = std::filesystem::absolute(p, ec).parent_path().string();
  auto file = ReadYamlFile(path);
  if (!file.ok()) return file.diagnostics();
  const std::vector<YAML::Node>& docs = file->documents;
  plan.operator_version =
      overrides.operator_version ? overrides.operator_version->profile : kDefaultOperatorVersion;
  if (overrides.operator_version) {
    if (auto line = DescribeOperatorRelease(*overrides.operator_version); !line.empty())
      plan.notes.push_back({line, ""});
  }
  DecodeContext ctx(path, &diags);
  for (const auto& doc : docs) {
    // Decoding reports problems as diagnostics; an exception here is a bug in
    // ptsim, reported at the document rather than ending ptsim.
    try {
      AddDocument(ctx, doc, &plan, 0, overrides);
    } catch (const std::exception& e) {
      diags.Error(ctx.Where(doc), "", "",
                  fmt::format("ptsim failed to decode this document ({}); this is a bug in ptsim: "
                              "please report it with the file",
                              e.what()));
    }
  }
  if (plan.pods.empty() && plan.jobs.empty() && !plan.flyte && diags.ok()) {
    diags.Error({path, 0, 0}, "", "",
                "nothing to run: the file holds no Pod, PyTorchJob, scenario or Flyte task");
  }
  if (overrides.seed) plan.seed = *overrides.seed;
  if (overrides.timeout) plan.timeout = *overrides.timeout;
  if (overrides.operator_version) plan.operator_version = overrides.operator_version->profile;
  if (overrides.trainer_version) plan.trainer_profile = *overrides.trainer_version;
  MergeImageMappings(overrides.images, &plan.images, &diags);
  if (overrides.torchrun) plan.torchrun = *overrides.torchrun;
  if (overrides.torch_version) plan.torch_version = *overrides.torch_version;
  if (plan.nodes.empty()) {
    for (int i = 1; i <= 4; ++i)
      plan.nodes.push_back(DefaultNode(fmt::format("node-{}", i)));
  }
  plan.faults.insert(plan.faults.end(), overrides.faults.begin(), overrides.faults.end());
  try {
    if (plan.flyte && diags.ok()) AddFlyteAttempts(&plan, &diags);
    if (diags.ok()) CheckPlanReferences(plan, &diags);
    if (diags.ok()) CheckTrainJobs(plan, &diags);
    if (diags.ok()) CheckHostPaths(plan, overrides.allowed_host_paths, &diags);
  } catch (const std::exception& e) {
    diags.Error({path, 0, 0}, "", "",
                fmt::format("ptsim failed to check this file ({}); this is a bug in ptsim: please "
                            "report it with the file",
                            e.what()));
  }
  if (!diags.ok()) return diags;
  return Result<RunPlan>(std::move(plan), std::move(diags));
}

}  // namespace ptsim
