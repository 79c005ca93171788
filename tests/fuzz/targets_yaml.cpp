// Fuzz targets for whole files: the YAML stream guard and conversion, Pod and
// PyTorchJob manifests (decoding and validation), whole run files (Pods,
// Lists, PyTorchJobs, scenarios, Flyte tasks) through LoadRunPlan, and Flyte
// task files and task templates.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/harness/container_preflight.hpp"
#include "sim/harness/flyte_plan.hpp"
#include "sim/harness/input_loader.hpp"
#include "sim/model/batch_job_codec.hpp"
#include "sim/model/batch_job_validation.hpp"
#include "sim/model/field_error.hpp"
#include "sim/model/jobset_codec.hpp"
#include "sim/model/jobset_defaults.hpp"
#include "sim/model/jobset_validation.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/pytorchjob_codec.hpp"
#include "sim/model/pytorchjob_validation.hpp"
#include "sim/model/trainjob_codec.hpp"
#include "sim/model/trainjob_validation.hpp"
#include "sim/model/yaml_file.hpp"
#include "sim/model/yaml_to_json.hpp"
#include "tests/fuzz/check.hpp"
#include "tests/fuzz/targets.hpp"

namespace ptsim::fuzz {
namespace {

constexpr char kFile[] = "input.yaml";

Result<YamlFile> Parse(const std::uint8_t* data, std::size_t size) {
  auto file = ParseYamlText(std::string(reinterpret_cast<const char*>(data), size), kFile);
  CheckResult(file);
  return file;
}

// A directory of this process's own, removed at exit, where RunFiles writes
// its input: relative paths in a scenario (jobFile) resolve inside it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ptsim-fuzz-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The API server's rendering of `errors` is checked as diagnostics are.
void CheckFieldErrors(const std::vector<FieldError>& errors) {
  if (errors.empty()) return;
  Diagnostics rendered;
  rendered.Error({}, "object", "", AggregateFieldErrors(errors));
  CheckRendered(rendered);
}

}  // namespace

int YamlStreams(const std::uint8_t* data, std::size_t size) {
  const auto file = Parse(data, size);
  if (!file.ok()) return 0;
  for (const auto& doc : file->documents) {
    std::string error;
    const auto json = YamlToJson(doc, &error);
    Check(json.has_value() || !error.empty(), "a failed conversion without a reason");
    if (json) (void)json->dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  }
  return 0;
}

int PodManifests(const std::uint8_t* data, std::size_t size) {
  const auto file = Parse(data, size);
  if (!file.ok()) return 0;
  Diagnostics diagnostics;
  DecodeContext ctx(kFile, &diagnostics);
  for (const auto& doc : file->documents) {
    Pod pod;
    {
      MapReader m(ctx, doc, "");
      DecodePod(m, &pod);
    }
    const YAML::Node& d = doc;
    if (d.IsMap()) ValidatePodSpec(ctx, d["spec"], "spec", pod.spec);
    (void)CheckDns1123Subdomain(pod.metadata.name);
  }
  CheckRendered(diagnostics);
  return 0;
}

int PyTorchJobManifests(const std::uint8_t* data, std::size_t size) {
  const auto file = Parse(data, size);
  if (!file.ok()) return 0;
  for (const auto& doc : file->documents) {
    auto decoded = DecodePyTorchJobDocument(doc, kFile);
    CheckResult(decoded);
    if (!decoded.ok()) continue;
    for (const auto version : {OperatorVersion::kV1_7_0, OperatorVersion::kV1_9_4}) {
      CheckRendered(DiagnosePyTorchJobCreate(decoded->job, decoded->locations, version, ""));
    }
    const YAML::Node& d = doc;
    // What the loader keeps of the spec; a missing spec is an invalid node.
    if (d.IsMap() && d["spec"]) (void)YamlToJson(d["spec"]);
  }
  return 0;
}

int BatchJobManifests(const std::uint8_t* data, std::size_t size) {
  const auto file = Parse(data, size);
  if (!file.ok()) return 0;
  for (const auto& doc : file->documents) {
    auto decoded = DecodeBatchJobDocument(doc, kFile);
    CheckResult(decoded);
    if (decoded.ok()) CheckFieldErrors(ValidateBatchJob(*decoded));
  }
  return 0;
}

int JobSetManifests(const std::uint8_t* data, std::size_t size) {
  const auto file = Parse(data, size);
  if (!file.ok()) return 0;
  for (const auto& doc : file->documents) {
    auto decoded = DecodeJobSetDocument(doc, kFile);
    CheckResult(decoded);
    if (!decoded.ok()) continue;
    JobSet js = *decoded;
    SetDefaults_JobSet(&js);
    CheckFieldErrors(ValidateJobSetCreate(js));
  }
  return 0;
}

int TrainJobManifests(const std::uint8_t* data, std::size_t size) {
  const auto file = Parse(data, size);
  if (!file.ok()) return 0;
  for (const auto& doc : file->documents) {
    auto trainjob = DecodeTrainJobDocument(doc, kFile);
    CheckResult(trainjob);
    if (trainjob.ok()) CheckFieldErrors(ValidateTrainJobCrd(*trainjob));
    auto runtime = DecodeClusterTrainingRuntimeDocument(doc, kFile);
    CheckResult(runtime);
    if (runtime.ok()) CheckFieldErrors(ValidateTrainingRuntimeSpec(runtime->spec));
  }
  return 0;
}

int RunFiles(const std::uint8_t* data, std::size_t size) {
  static ScratchDir dir;
  if (dir.path().empty()) return 0;
  const std::string path = dir.path() + "/" + kFile;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto plan = LoadRunPlan(path, PlanOverrides{});
  CheckResult(plan);
  if (plan.ok()) {
    Diagnostics diagnostics;
    CheckContainersCanStart(&*plan, {"PATH=/usr/bin:/bin"}, &diagnostics);
    CheckRendered(diagnostics);
  }
  return 0;
}

int FlyteTaskFiles(const std::uint8_t* data, std::size_t size) {
  const auto file = Parse(data, size);
  if (!file.ok()) return 0;
  for (const auto& doc : file->documents) {
    if (!LooksLikeFlyteTaskFile(doc)) continue;
    CheckResult(FlytePlanFromTaskFile(doc, kFile));
  }
  return 0;
}

int FlyteTemplates(const std::uint8_t* data, std::size_t size) {
  const auto file = Parse(data, size);
  if (!file.ok()) return 0;
  for (const auto& doc : file->documents) {
    if (!LooksLikeFlyteTemplate(doc)) continue;
    CheckResult(FlytePlanFromTemplate(doc, kFile));
  }
  return 0;
}

const std::vector<Target>& Targets() {
  static const std::vector<Target> kTargets = {
      {"yaml_stream", YamlStreams},
      {"pod_manifest", PodManifests},
      {"pytorchjob_manifest", PyTorchJobManifests},
      {"job_manifest", BatchJobManifests},
      {"jobset_manifest", JobSetManifests},
      {"trainjob_manifest", TrainJobManifests},
      {"run_file", RunFiles},
      {"fault_flag", FaultFlags},
      {"container_script", ContainerScripts},
      {"flyte_task_file", FlyteTaskFiles},
      {"flyte_template", FlyteTemplates},
      {"torchrun_args", TorchrunCommandLines},
      {"go_duration", GoDurations},
      {"quantity", Quantities},
      {"label_selector", LabelSelectors},
  };
  return kTargets;
}

}  // namespace ptsim::fuzz
