#include "sim/model/trainjob_validation.hpp"

#include <fmt/format.h>

#include "sim/model/dns_name.hpp"

namespace ptsim {
namespace {

// A CEL rule's failure prints the value's type, not the value.
FieldError Cel(std::string path, const char* type, std::string message) {
  return FieldInvalid(std::move(path), type, std::move(message));
}

// apimachinery's IsDomainPrefixedPath.
bool IsDomainPrefixedPath(const std::string& path) {
  const auto slash = path.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= path.size()) return false;
  return MatchesDns1123Subdomain(path.substr(0, slash));
}

bool SameJson(const auto& a, const auto& b, auto to_json) {
  return to_json(a) == to_json(b);
}

nlohmann::json EnvJson(const std::vector<EnvVar>& env) {
  nlohmann::json j = nlohmann::json::array();
  for (const EnvVar& e : env) {
    j.push_back({{"name", e.name},
                 {"value", e.value},
                 {"fieldPath", e.value_from ? e.value_from->field_path : ""}});
  }
  return j;
}

nlohmann::json ResourcesJson(const std::optional<ResourceRequirements>& r) {
  if (!r) return nullptr;
  nlohmann::json j;
  for (const auto& [k, q] : r->limits)
    j["limits"][k] = q.String();
  for (const auto& [k, q] : r->requests)
    j["requests"][k] = q.String();
  return j;
}

nlohmann::json TrainerJson(const std::optional<Trainer>& t) {
  if (!t) return nullptr;
  return {{"image", t->image ? nlohmann::json(*t->image) : nlohmann::json()},
          {"command", t->command ? nlohmann::json(*t->command) : nlohmann::json()},
          {"args", t->args ? nlohmann::json(*t->args) : nlohmann::json()},
          {"env", EnvJson(t->env)},
          {"numNodes", t->num_nodes ? nlohmann::json(*t->num_nodes) : nlohmann::json()},
          {"resourcesPerNode", ResourcesJson(t->resources_per_node)},
          {"numProcPerNode", t->num_proc_per_node.value_or(nlohmann::json())}};
}

nlohmann::json InitializerJson(const std::optional<Initializer>& i) {
  if (!i) return nullptr;
  auto one = [](const std::optional<InitializerSpec>& s) -> nlohmann::json {
    if (!s) return nullptr;
    return {{"storageUri", s->storage_uri.value_or("")},
            {"env", EnvJson(s->env)},
            {"secretRef", s->secret_ref.value_or("")}};
  };
  return {{"dataset", one(i->dataset)}, {"model", one(i->model)}};
}

nlohmann::json PatchesJson(const std::vector<RuntimePatch>& patches) {
  nlohmann::json j = nlohmann::json::array();
  for (const RuntimePatch& p : patches) {
    j.push_back({{"manager", p.manager}, {"trainingRuntimeSpec", p.training_runtime_spec}});
  }
  return j;
}

}  // namespace

std::vector<FieldError> ValidateTrainJobCrd(const TrainJob& trainjob) {
  std::vector<FieldError> errors;
  const std::string& name = trainjob.metadata.name;
  if (!MatchesDns1035Label(name)) {
    errors.push_back(
        Cel("metadata.name", "string", "metadata.name must match RFC 1035 DNS label format"));
  }
  if (name.size() > 63) {
    errors.push_back(
        Cel("metadata.name", "string", "metadata.name must be no more than 63 characters"));
  }
  const auto& managed_by = trainjob.spec.managed_by;
  if (managed_by && *managed_by != kTrainJobControllerName &&
      *managed_by != "kueue.x-k8s.io/multikueue") {
    errors.push_back(Cel("spec.managedBy", "string",
                         "ManagedBy must be trainer.kubeflow.org/trainjob-controller or "
                         "kueue.x-k8s.io/multikueue if set"));
  }
  for (std::size_t i = 0; i < trainjob.spec.runtime_patches.size(); ++i) {
    const std::string& manager = trainjob.spec.runtime_patches[i].manager;
    if (!IsDomainPrefixedPath(manager)) {
      errors.push_back(FieldInvalid(fmt::format("spec.runtimePatches[{}].manager", i), manager,
                                    "must be a domain-prefixed path (such as \"acme.io/foo\")"));
    }
  }
  return errors;
}

std::vector<FieldError> ValidateTrainJobUpdate(const TrainJob& old_job, const TrainJob& new_job) {
  std::vector<FieldError> errors;
  const auto& o = old_job.spec;
  const auto& n = new_job.spec;
  auto ref = [](const RuntimeRef& r) {
    return nlohmann::json{r.name, r.api_group.value_or(kTrainerGroup),
                          r.kind.value_or(ClusterTrainingRuntime::kKind)};
  };
  if (!SameJson(o.runtime_ref, n.runtime_ref, ref)) {
    errors.push_back(Cel("spec.runtimeRef", "object", "field is immutable"));
  }
  if (!SameJson(o.initializer, n.initializer, InitializerJson)) {
    errors.push_back(Cel("spec.initializer", "object", "field is immutable"));
  }
  if (!SameJson(o.trainer, n.trainer, TrainerJson)) {
    errors.push_back(Cel("spec.trainer", "object", "field is immutable"));
  }
  if (o.active_deadline_seconds != n.active_deadline_seconds) {
    errors.push_back(Cel("spec.activeDeadlineSeconds", "integer", "field is immutable"));
  }
  if (o.managed_by.value_or(kTrainJobControllerName) !=
      n.managed_by.value_or(kTrainJobControllerName)) {
    errors.push_back(Cel("spec.managedBy", "string", "field is immutable"));
  }
  if (PatchesJson(o.runtime_patches) != PatchesJson(n.runtime_patches) &&
      !o.suspend.value_or(false) && !n.suspend.value_or(false)) {
    errors.push_back(FieldForbidden("spec.runtimePatches",
                                    "RuntimePatches can only be modified when the TrainJob is "
                                    "suspended before or after the update"));
  }
  return errors;
}

std::vector<FieldError> ValidateTrainingRuntimeSpec(const TrainingRuntimeSpec& spec) {
  std::vector<FieldError> errors;
  if (spec.ml_policy && spec.ml_policy->torch && spec.ml_policy->other_policy) {
    errors.push_back(Cel("spec.mlPolicy", "object", "Only one of the policy can be configured"));
  }
  if (spec.ml_policy && spec.ml_policy->torch) {
    const auto& targets = spec.ml_policy->torch->env_injection_targets;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const std::string path =
          fmt::format("spec.mlPolicy.torch.envInjection.targets[{}].containerNames", i);
      const auto& names = targets[i].container_names;
      if (names.empty()) {
        errors.push_back(FieldInvalid(path, std::to_string(names.size()),
                                      "spec.mlPolicy.torch.envInjection.targets[" +
                                          std::to_string(i) +
                                          "].containerNames in body should have at least 1 items"));
      }
      if (names.size() > 8) {
        errors.push_back(FieldError{FieldErrorType::kTooMany, path, std::to_string(names.size()),
                                    "must have at most 8 items"});
      }
      for (const std::string& c : names) {
        if (c == kTrainerNodeName) {
          errors.push_back(Cel(path, "array", "containerNames must not include 'node'"));
        }
      }
    }
  }
  const auto& rjobs = spec.template_.spec.replicated_jobs;
  for (std::size_t i = 0; i < rjobs.size(); ++i) {
    auto it = rjobs[i].template_.metadata.labels.find(kAncestorStepLabel);
    if (it == rjobs[i].template_.metadata.labels.end()) continue;
    const std::string& ancestor = it->second;
    const char* container = nullptr;
    if (ancestor == kAncestorTrainer) container = kTrainerNodeName;
    if (ancestor == kDatasetInitializer) container = kDatasetInitializer;
    if (ancestor == kModelInitializer) container = kModelInitializer;
    if (container == nullptr) continue;
    const std::string path = fmt::format("spec.template.spec.replicatedJobs[{}]", i);
    const std::int32_t replicas = rjobs[i].replicas.value_or(1);
    if (replicas != 1) {
      errors.push_back(
          FieldInvalid(path + ".replicas", std::to_string(replicas), "always must be 1"));
    }
    bool found = false;
    for (const Container& c : rjobs[i].template_.spec.template_.spec.containers) {
      found = found || c.name == container;
    }
    if (!found) {
      errors.push_back(FieldInvalid(
          path + ".template.spec.template.spec.containers", std::nullopt,
          fmt::format("must contain the required container for the ancestor: {}", ancestor)));
    }
  }
  return errors;
}

}  // namespace ptsim
