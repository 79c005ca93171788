#include "fakes/trainer/jobset_builder.hpp"

#include <fmt/format.h>

#include "fakes/trainer/runtime_info.hpp"
#include "fakes/trainer/runtime_patch.hpp"
#include "fakes/trainer/torch_plugin.hpp"
#include "sim/model/dns_name.hpp"

namespace ptsim {
namespace {

Container* FindNamed(ReplicatedJob& rjob, const std::string& name) {
  for (Container& c : rjob.template_.spec.template_.spec.containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// Builder.Initializer: replicas 1; STORAGE_URI then the initializer's env on
// its container. secretRef becomes envFrom upstream; the container model has
// no envFrom, so it is not carried.
void ApplyInitializer(JobSetSpec* spec, const std::string& ancestor,
                      const std::optional<InitializerSpec>& init) {
  for (ReplicatedJob& rjob : spec->replicated_jobs) {
    if (AncestorOf(rjob) != ancestor) continue;
    rjob.replicas = 1;
    if (!init) continue;
    if (Container* c = FindNamed(rjob, ancestor)) {
      if (init->storage_uri) UpsertEnvVar(&c->env, EnvVar{kStorageUriEnv, *init->storage_uri, {}});
      UpsertEnvVars(&c->env, init->env);
    }
  }
}

void MergeResources(const ResourceList& from, ResourceList* into) {
  for (const auto& [name, q] : from)
    (*into)[name] = q;
}

}  // namespace

JobSet BuildJobSet(const TrainJob& trainjob, const TrainingRuntimeSpec& runtime) {
  RuntimeInfo info = NewRuntimeInfo(runtime);
  TrainJob working = trainjob;
  EnforceTorchMLPolicy(&info, &working);

  JobSet js;
  js.metadata.name = trainjob.metadata.name;
  js.metadata.namespace_ = trainjob.metadata.namespace_;
  js.metadata.labels = info.labels;
  js.metadata.annotations = info.annotations;
  js.spec = info.template_spec;
  JobSetSpec& spec = js.spec;

  const auto& init = working.spec.initializer;
  ApplyInitializer(&spec, kDatasetInitializer, init ? init->dataset : std::nullopt);
  ApplyInitializer(&spec, kModelInitializer, init ? init->model : std::nullopt);

  // Builder.Trainer: the first replicated job labelled as the trainer.
  for (ReplicatedJob& rjob : spec.replicated_jobs) {
    if (AncestorOf(rjob) != kAncestorTrainer) continue;
    rjob.replicas = 1;
    const auto& t = working.spec.trainer;
    if (t) {
      if (Container* node = FindNamed(rjob, kTrainerNodeName)) {
        if (t->image) node->image = *t->image;
        if (t->command) node->command = *t->command;
        if (t->args) node->args = *t->args;
        UpsertEnvVars(&node->env, t->env);
        if (t->resources_per_node) {
          MergeResources(t->resources_per_node->limits, &node->resources.limits);
          MergeResources(t->resources_per_node->requests, &node->resources.requests);
        }
      }
    }
    break;
  }

  // SyncParallelCount (#3651).
  for (std::size_t i = 0; i < spec.replicated_jobs.size() && i < info.pod_sets.size(); ++i) {
    spec.replicated_jobs[i].template_.spec.parallelism = info.pod_sets[i].count;
    spec.replicated_jobs[i].template_.spec.completions = info.pod_sets[i].count;
  }

  for (const RuntimePatch& patch : working.spec.runtime_patches) {
    ApplyRuntimePatch(patch, &js.metadata.labels, &js.metadata.annotations, &spec);
  }

  spec.suspend = trainjob.spec.suspend.value_or(false);
  OwnerReference owner;
  owner.api_version = TrainJob::kApiVersion;
  owner.kind = TrainJob::kKind;
  owner.name = trainjob.metadata.name;
  owner.uid = trainjob.metadata.uid;
  owner.controller = true;
  owner.block_owner_deletion = true;
  js.metadata.owner_references = {owner};
  return js;
}

std::vector<FieldError> ValidateJobSetPodNames(const JobSet& jobset) {
  std::vector<FieldError> errors;
  for (const ReplicatedJob& rjob : jobset.spec.replicated_jobs) {
    const std::int32_t replicas = rjob.replicas.value_or(1);
    const std::int32_t completions = rjob.template_.spec.completions.value_or(1);
    const std::string pod_name = fmt::format("{}-{}-{}-{}-abcde", jobset.metadata.name, rjob.name,
                                             replicas - 1, completions - 1);
    if (pod_name.size() > 63 || !MatchesDns1123Label(pod_name)) {
      errors.push_back(FieldInvalid(
          "spec.replicatedJobs", std::nullopt,
          "JobSet name is too long, pod names generated for this JobSet will exceed 63 "
          "characters"));
      break;
    }
  }
  return errors;
}

}  // namespace ptsim
