#include "fakes/trainer/trainjob_webhook.hpp"

#include <fmt/format.h>

#include <set>

#include "fakes/trainer/runtime_info.hpp"
#include "fakes/trainer/torch_plugin.hpp"
#include "sim/model/field_error.hpp"
#include "sim/model/trainjob_validation.hpp"

namespace ptsim {
namespace {

AdmissionError FromField(const FieldError& e) {
  return AdmissionError{e.field, e.Render()};
}

const ReplicatedJob* FindByAncestor(const JobSetSpec& spec, const std::string& ancestor) {
  for (const ReplicatedJob& rjob : spec.replicated_jobs) {
    if (AncestorOf(rjob) == ancestor) return &rjob;
  }
  return nullptr;
}

// JobSet plugin Validate: an initializer configured in the TrainJob needs its
// replicated job, container and `initializer` volume mount in the runtime.
void ValidateInitializer(const JobSetSpec& spec, const std::string& ancestor, const char* config,
                         const std::string& path, std::vector<AdmissionError>* out) {
  const ReplicatedJob* rjob = FindByAncestor(spec, ancestor);
  if (rjob == nullptr) {
    out->push_back(FromField(
        FieldInvalid(path, std::nullopt,
                     fmt::format("must have {} job when trainJob is configured with input {}",
                                 ancestor, config))));
    return;
  }
  const Container* container = nullptr;
  for (const Container& c : rjob->template_.spec.template_.spec.containers) {
    if (c.name == ancestor) container = &c;
  }
  if (container == nullptr) {
    out->push_back(FromField(FieldInvalid(
        path, std::nullopt,
        fmt::format("must have container with name - {} in the {} job", ancestor, ancestor))));
    return;
  }
  bool mounted = false;
  for (const VolumeMount& m : container->volume_mounts)
    mounted = mounted || m.name == "initializer";
  if (!mounted) {
    out->push_back(FromField(FieldInvalid(
        path, std::nullopt,
        fmt::format("must have volumeMount with name - initializer in container {} of the {} job",
                    ancestor, ancestor))));
  }
}

bool HasContainer(const PodSpec& spec, const std::string& name, bool init) {
  for (const Container& c : init ? spec.init_containers : spec.containers) {
    if (c.name == name) return true;
  }
  return false;
}

void ValidatePatchContainers(const nlohmann::json& list, const PodSpec& runtime_spec, bool init,
                             const std::string& rjob, const std::string& path,
                             std::vector<AdmissionError>* out) {
  if (!list.is_array()) return;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string name = list[k].value("name", "");
    const std::string cpath = fmt::format("{}[{}]", path, k);
    if (!HasContainer(runtime_spec, name, init)) {
      out->push_back(FromField(FieldInvalid(
          cpath, name,
          fmt::format("must not have container that doesn't exist in the runtime job {}", rjob))));
    }
    if (list[k].contains("env") &&
        (name == kDatasetInitializer || name == kModelInitializer || name == kTrainerNodeName)) {
      out->push_back(FromField(FieldInvalid(
          cpath + ".env", std::nullopt,
          "must not have envs for the dataset-initializer, model-initializer, node containers")));
    }
  }
}

void ValidatePatches(const TrainJob& tj, const JobSetSpec& runtime_spec,
                     std::vector<AdmissionError>* out) {
  for (std::size_t i = 0; i < tj.spec.runtime_patches.size(); ++i) {
    const nlohmann::json& trs = tj.spec.runtime_patches[i].training_runtime_spec;
    const std::string base =
        fmt::format("spec.runtimePatches[{}].trainingRuntimeSpec.template.spec.replicatedJobs", i);
    if (!trs.is_object() || !trs.contains("template") || !trs["template"].contains("spec"))
      continue;
    const nlohmann::json& rjobs = trs["template"]["spec"].value("replicatedJobs", nlohmann::json());
    if (!rjobs.is_array()) continue;
    for (std::size_t j = 0; j < rjobs.size(); ++j) {
      const std::string name = rjobs[j].value("name", "");
      const std::string path = fmt::format("{}[{}]", base, j);
      const ReplicatedJob* target = nullptr;
      for (const ReplicatedJob& r : runtime_spec.replicated_jobs) {
        if (r.name == name) target = &r;
      }
      if (target == nullptr) {
        out->push_back(FromField(FieldInvalid(
            path + ".name", name,
            "must not have replicated job that doesn't exist in the runtime job template")));
        continue;
      }
      const nlohmann::json pod =
          rjobs[j].value("/template/spec/template/spec"_json_pointer, nlohmann::json());
      if (!pod.is_object()) continue;
      const PodSpec& rspec = target->template_.spec.template_.spec;
      const std::string ppath = path + ".template.spec.template.spec";
      ValidatePatchContainers(pod.value("containers", nlohmann::json()), rspec, false, name,
                              ppath + ".containers", out);
      ValidatePatchContainers(pod.value("initContainers", nlohmann::json()), rspec, true, name,
                              ppath + ".initContainers", out);
    }
  }
}

}  // namespace

std::string RuntimeKey(const RuntimeRef& ref) {
  return ref.kind.value_or(ClusterTrainingRuntime::kKind) + "." +
         ref.api_group.value_or(kTrainerGroup);
}

bool IsRegisteredRuntime(const RuntimeRef& ref) {
  const std::string key = RuntimeKey(ref);
  return key == std::string(ClusterTrainingRuntime::kKind) + "." + kTrainerGroup ||
         key == std::string(TrainingRuntime::kKind) + "." + kTrainerGroup;
}

std::vector<AdmissionError> ValidateTrainJobWithRuntime(const TrainJob& trainjob,
                                                        const RuntimeResolver& resolve) {
  std::vector<AdmissionError> errors;
  const RuntimeRef& ref = trainjob.spec.runtime_ref;
  if (!IsRegisteredRuntime(ref)) {
    errors.push_back({"spec.runtimeRef", "unsupported runtime: " + RuntimeKey(ref)});
    return errors;
  }
  const std::string kind = ref.kind.value_or(ClusterTrainingRuntime::kKind);
  const TrainingRuntimeSpec* runtime = resolve(kind, trainjob.metadata.namespace_, ref.name);
  if (runtime == nullptr) {
    // pkg/runtime/core/{cluster,}trainingruntime.go ValidateObjects.
    if (kind == ClusterTrainingRuntime::kKind) {
      errors.push_back(FromField(FieldInvalid(
          "spec.RuntimeRef", ref.name,
          fmt::format("clustertrainingruntimes.trainer.kubeflow.org \"{}\" not found: specified "
                      "clusterTrainingRuntime must be created before the TrainJob is created",
                      ref.name))));
    } else {
      errors.push_back(FromField(FieldInvalid(
          "spec.runtimeRef", ref.name,
          fmt::format("trainingruntimes.trainer.kubeflow.org \"{}\" not found: specified "
                      "trainingRuntime must be created before the TrainJob is created",
                      ref.name))));
    }
    return errors;
  }
  const RuntimeInfo info = NewRuntimeInfo(*runtime);
  for (const FieldError& e : ValidateTorch(info, trainjob))
    errors.push_back(FromField(e));
  const JobSetSpec& spec = runtime->template_.spec;
  if (trainjob.spec.initializer) {
    if (trainjob.spec.initializer->dataset) {
      ValidateInitializer(spec, kDatasetInitializer, "datasetConfig", "spec.initializer.dataset",
                          &errors);
    }
    if (trainjob.spec.initializer->model) {
      ValidateInitializer(spec, kModelInitializer, "modelConfig", "spec.initializer.model",
                          &errors);
    }
  }
  ValidatePatches(trainjob, spec, &errors);
  return errors;
}

std::string TrainJobDenial(const std::vector<AdmissionError>& errors) {
  if (errors.empty()) return "";
  std::string body;
  std::set<std::string> seen;
  std::vector<std::string> messages;
  for (const AdmissionError& e : errors) {
    if (seen.insert(e.message).second) messages.push_back(e.message);
  }
  if (messages.size() == 1) {
    body = messages[0];
  } else {
    body = "[";
    for (std::size_t i = 0; i < messages.size(); ++i)
      body += (i ? ", " : "") + messages[i];
    body += "]";
  }
  return fmt::format("admission webhook \"{}\" denied the request: {}", kTrainJobWebhookName, body);
}

}  // namespace ptsim
