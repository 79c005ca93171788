#include "sim/harness/container_preflight.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "fakes/kubelet/container_launch.hpp"
#include "fakes/process/real_process_runner.hpp"
#include "fakes/trainer/default_runtime.hpp"
#include "sim/core/spelling.hpp"
#include "sim/harness/flyte_plan.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/harness/manifest_paths.hpp"

namespace ptsim {
namespace fs = std::filesystem;
namespace {

// One container of the plan, with where it was written.
struct Site {
  const std::map<std::string, std::string>* annotations;
  const Container* container;
  std::string object;  // `Pod "p"`, `PyTorchJob "j"`
  SourceLocation where;
  std::string field;
};

// A Flyte task's later attempts repeat attempt 0's containers: those are
// listed once, so that each problem is reported once.
std::vector<Site> Sites(const RunPlan& plan) {
  std::vector<Site> out;
  const std::set<std::string> repeated = RepeatedFlyteAttempts(plan);
  for (std::size_t i = 0; i < plan.pods.size(); ++i) {
    const Pod& pod = plan.pods[i];
    if (repeated.count("Pod/" + pod.metadata.name)) continue;
    const std::string object = fmt::format("Pod \"{}\"", pod.metadata.name);
    for (std::size_t j = 0; j < pod.spec.init_containers.size(); ++j)
      out.push_back({&pod.metadata.annotations, &pod.spec.init_containers[j], object,
                     plan.pod_locations[i], fmt::format("spec.initContainers[{}]", j)});
    for (std::size_t j = 0; j < pod.spec.containers.size(); ++j)
      out.push_back({&pod.metadata.annotations, &pod.spec.containers[j], object,
                     plan.pod_locations[i], fmt::format("spec.containers[{}]", j)});
  }
  for (const auto& entry : plan.jobs) {
    if (repeated.count(fmt::format("{}/{}", entry.kind->kind(), entry.name()))) continue;
    const std::string object = JobLabel(entry);
    for (const auto& t : entry.kind->PodTemplates(entry)) {
      const PodSpec& ps = t.pod_template->spec;
      const std::string prefix = t.field + ".spec";
      for (const auto* list : {&ps.init_containers, &ps.containers}) {
        for (std::size_t j = 0; j < list->size(); ++j) {
          const std::string field = fmt::format(
              "{}.{}[{}]", prefix, list == &ps.containers ? "containers" : "initContainers", j);
          out.push_back({&t.pod_template->metadata.annotations, &(*list)[j], object,
                         LocateField(entry.locations, field), field});
        }
      }
    }
  }
  return out;
}

const ImageMapping* FindMapping(const std::vector<ImageMapping>& mappings,
                                const std::string& image) {
  for (const std::string& ref : {image, ImageWithoutTag(image)}) {
    for (const auto& m : mappings) {
      if (m.ref == ref) return &m;
    }
  }
  return nullptr;
}

// An argument naming a script the command would run ("train.py",
// "/opt/app/run.sh"): not an option, not a shell command, not $(VAR).
bool LooksLikeScript(const std::string& arg) {
  if (arg.empty() || arg[0] == '-' || arg.find_first_of(" \t;|&") != std::string::npos ||
      arg.find("$(") != std::string::npos) {
    return false;
  }
  for (const char* ext : {".py", ".sh", ".bash"}) {
    const std::string e = ext;
    if (arg.size() > e.size() && arg.compare(arg.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

// A command line as a shell would take it back: arguments with spaces or
// shell characters in single quotes.
std::string Join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) out += ' ';
    const bool plain =
        !arg.empty() && arg.find_first_of(" \t\n'\"\\$`;&|<>()*?[]{}~#") == std::string::npos;
    if (plain) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char ch : arg)
      out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    out += '\'';
  }
  return out;
}

std::string MapHint(const std::string& image) {
  return fmt::format(
      "map the image to what runs here: --image '{}={{run: [python3, train.py]}}' (or `images:` "
      "in a scenario; docs/scenarios.md#images)",
      image);
}

// The images a TrainJob's pods will run: its runtime's containers (from the
// input, or the built-in torch-distributed), the trainer's `image` replacing
// that of container `node` (plugins/jobset/builder.go Trainer). A runtime the
// plan lacks contributes nothing (the TrainJob is refused at admission).
std::vector<std::string> TrainJobImages(const RunPlan& plan, const TrainJob& tj) {
  const RuntimeRef& ref = tj.spec.runtime_ref;
  const TrainingRuntimeSpec* spec = nullptr;
  static const ClusterTrainingRuntime kBuiltIn = TorchDistributedRuntime();
  if (ref.kind.value_or("ClusterTrainingRuntime") == "TrainingRuntime") {
    for (const auto& r : plan.training_runtimes) {
      if (r.metadata.name == ref.name && r.metadata.namespace_ == tj.metadata.namespace_)
        spec = &r.spec;
    }
  } else {
    for (const auto& r : plan.cluster_training_runtimes) {
      if (r.metadata.name == ref.name) spec = &r.spec;
    }
    if (spec == nullptr && ref.name == kDefaultRuntimeName) spec = &kBuiltIn.spec;
  }
  std::vector<std::string> out;
  if (spec == nullptr) return out;
  const std::optional<std::string> trainer_image =
      tj.spec.trainer ? tj.spec.trainer->image : std::nullopt;
  for (const auto& rjob : spec->template_.spec.replicated_jobs) {
    const PodSpec& ps = rjob.template_.spec.template_.spec;
    for (const auto* list : {&ps.init_containers, &ps.containers}) {
      for (const auto& c : *list) {
        const auto step = rjob.template_.metadata.labels.find(kAncestorStepLabel);
        const bool trainer = list == &ps.containers && c.name == kTrainerNodeName &&
                             step != rjob.template_.metadata.labels.end() &&
                             step->second == kAncestorTrainer;
        out.push_back(trainer && trainer_image ? *trainer_image : c.image);
      }
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> ContainerImages(const RunPlan& plan) {
  std::vector<std::string> out;
  for (const Site& s : Sites(plan))
    out.push_back(s.container->image);
  for (const auto& entry : plan.jobs) {
    if (const TrainJob* tj = entry.As<TrainJob>()) {
      for (auto& image : TrainJobImages(plan, *tj))
        out.push_back(std::move(image));
    }
  }
  return out;
}

void WarnUnusedMappings(const std::vector<ImageMapping>& mappings,
                        const std::vector<std::string>& images, Diagnostics* diagnostics) {
  for (const auto& m : mappings) {
    bool used = false;
    for (const auto& image : images)
      used = used || image == m.ref || ImageWithoutTag(image) == m.ref;
    if (used) continue;
    std::vector<std::string> unique;
    for (const auto& image : images) {
      if (std::find(unique.begin(), unique.end(), image) == unique.end()) unique.push_back(image);
    }
    // A typo is a few edits: three, or one in twelve characters of a long reference.
    const std::string nearest = Nearest(m.ref, unique, std::max<std::size_t>(3, m.ref.size() / 12));
    if (m.from_library && nearest.empty()) continue;  // a mapping for other runs
    diagnostics->Warning(
        m.where, fmt::format("image \"{}\"", m.ref), "",
        fmt::format("no container uses this mapping{}",
                    !nearest.empty() ? fmt::format("; did you mean \"{}\"?", nearest)
                    : unique.empty()
                        ? std::string()
                        : fmt::format("; the images are {}", fmt::join(unique, ", "))));
  }
}

void CheckContainersCanStart(RunPlan* plan, const std::vector<std::string>& base_env,
                             Diagnostics* diagnostics) {
  // Unmapped images whose command runs here, by image and command line.
  std::map<std::pair<std::string, std::string>, std::vector<const Site*>> on_host;
  const std::vector<Site> sites = Sites(*plan);
  for (const Site& site : sites) {
    const Container& c = *site.container;
    auto error = [&](const std::string& message) {
      diagnostics->Error(site.where, site.object, site.field,
                         fmt::format("container \"{}\": {}", c.name, message));
    };
    if (site.annotations->count(ScriptAnnotation(c.name))) continue;
    const ImageMapping* mapping = FindMapping(plan->images, c.image);
    const ImageSpec* image = mapping ? &mapping->spec : nullptr;
    if (image && image->script) continue;
    const std::vector<std::string> argv = CommandLine(c, image);
    if (argv.empty()) {
      if (!image) {
        error(
            fmt::format("nothing to run: no command, and ptsim does not know image \"{}\": {}, "
                        "give the container a `command`, or script it with the annotation {}",
                        c.image, MapHint(c.image), ScriptAnnotation(c.name)));
      } else {
        error(fmt::format(
            "nothing to run: the container has {}, and the mapping of image \"{}\" ({}) names no "
            "entrypoint: add one, as in --image '{}={{entrypoint: [python3]}}', or `run: [...]` "
            "to the mapping, or give the container a `command`",
            c.args.empty() ? "no command" : "only args", c.image, mapping->origin, c.image));
      }
      continue;
    }
    // The directory it runs in: the container's, the mapping's, or the run's.
    const std::string wd = WorkingDir(c, image);
    std::error_code ec;
    if (!wd.empty() && !UnderVolumeMount(c, wd) && !fs::is_directory(wd, ec)) {
      const bool mapped = image && wd != c.working_dir;
      error(fmt::format(
          "the working directory {} does not exist{}: create it, or give an "
          "existing directory (a relative one is relative to the file it is in)",
          wd,
          mapped ? fmt::format(" (from the mapping of image \"{}\", {})", c.image, mapping->origin)
                 : ""));
      continue;
    }
    const std::string cwd = wd.empty() || UnderVolumeMount(c, wd) ? plan->working_dir : wd;
    if (argv[0].find("$(") != std::string::npos) continue;  // expanded at start
    std::vector<std::string> env = base_env;
    if (image) env.insert(env.end(), image->env.begin(), image->env.end());
    std::string exe = argv[0];
    if (exe.find('/') != std::string::npos && exe[0] != '/') exe = (fs::path(cwd) / exe).string();
    std::string why;
    if (ResolveExecutable(exe, env, &why).empty()) {
      error(fmt::format(
          "cannot run {}: {}{}", argv[0], why,
          image ? "" : fmt::format("; image \"{}\" is not mapped: {}", c.image, MapHint(c.image))));
      continue;
    }
    if (image) continue;
    // ptsim's own fake trainer is written for ptsim: running it here is meant.
    if (fs::path(argv[0]).filename() == "ptsim-worker") continue;
    // An unmapped image: the container's own command runs on this machine.
    std::string missing;
    for (std::size_t i = 1; i < argv.size() && missing.empty(); ++i) {
      if (!LooksLikeScript(argv[i]) || UnderVolumeMount(c, argv[i])) continue;
      if (!fs::exists(fs::path(cwd) / argv[i], ec)) missing = argv[i];
    }
    if (!missing.empty()) {
      error(
          fmt::format("image \"{}\" is not mapped, so its command would run on this machine, "
                      "where {} does not exist (it is inside the image, which ptsim does not "
                      "pull): {}",
                      c.image, missing, MapHint(c.image)));
      continue;
    }
    on_host[{c.image, Join(argv)}].push_back(&site);
  }
  for (const auto& [key, where] : on_host) {
    const auto& [image, command] = key;
    const Site& first = *where.front();
    const std::string who =
        fmt::format("{} container \"{}\"{}", first.object, first.container->name,
                    where.size() > 1 ? fmt::format(" (and {} more)", where.size() - 1) : "");
    const std::string text = fmt::format(
        "image \"{}\" is not mapped: {} runs `{}` on this machine as it is; map the image "
        "(--image '{}={{run: [...]}}') to run something else, or with --image '{}={{}}' to say "
        "that this is meant",
        image, who, command, image, image);
    diagnostics->Warning(first.where, "", first.field, text);
    plan->notes.push_back({text, "", true});
  }
  std::vector<ImageMapping> own;
  for (const auto& m : plan->images) {
    if (!m.from_command_line) own.push_back(m);
  }
  WarnUnusedMappings(own, ContainerImages(*plan), diagnostics);
}

}  // namespace ptsim
