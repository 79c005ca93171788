#include "fakes/trainer/torch_plugin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace ptsim {
namespace {

const std::vector<std::string>& ReservedNames() {
  static const std::vector<std::string> names = {kPetNumNodes, kPetNumProcPerNode, kPetNodeRank,
                                                 kPetMasterAddr, kPetMasterPort};
  return names;
}

bool ContainsGpu(const std::string& resource) {
  std::string lower = resource;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("gpu") != std::string::npos;
}

bool HasGpu(const ResourceRequirements& r) {
  for (const auto& [name, q] : r.requests) {
    if (ContainsGpu(name)) return true;
  }
  for (const auto& [name, q] : r.limits) {
    if (ContainsGpu(name)) return true;
  }
  return false;
}

std::int64_t CpuCount(const ResourceRequirements& r) {
  std::int64_t n = 0;
  auto req = r.requests.find("cpu");
  if (req != r.requests.end() && !req->second.IsZero()) {
    n = req->second.units();
  } else if (auto lim = r.limits.find("cpu"); lim != r.limits.end()) {
    n = lim->second.units();
  }
  return std::max<std::int64_t>(1, n);
}

EnvVar Plain(const char* name, std::string value) {
  return EnvVar{name, std::move(value), {}};
}

// The five variables, master address and port only when `with_master`.
std::vector<EnvVar> PetEnv(const TrainJob& tj, std::int32_t nodes, const std::string& nproc,
                           bool with_master) {
  std::vector<EnvVar> env;
  env.push_back(Plain(kPetNumNodes, std::to_string(nodes)));
  env.push_back(Plain(kPetNumProcPerNode, nproc));
  EnvVar rank{kPetNodeRank, "", EnvVarSource{}};
  rank.value_from->field_path = kJobCompletionIndexFieldPath;
  env.push_back(rank);
  if (with_master) {
    // kubeflow/trainer v2.3.0 hardcodes the replicated job `node` and the
    // TrainJob name as subdomain, whatever network.subdomain says.
    env.push_back(Plain(kPetMasterAddr, fmt::format("{}-{}-0-0.{}", tj.metadata.name,
                                                    kTrainerNodeName, tj.metadata.name)));
    env.push_back(Plain(kPetMasterPort, std::to_string(kTorchMasterPort)));
  }
  return env;
}

void UpsertPort(std::vector<ContainerPort>* ports, std::int32_t port) {
  for (const ContainerPort& p : *ports) {
    if (p.container_port == port) return;
  }
  ports->push_back(ContainerPort{"", port, "", 0});
}

Container* FindContainer(ReplicatedJob* rjob, const std::string& name) {
  PodSpec& spec = rjob->template_.spec.template_.spec;
  for (Container& c : spec.containers) {
    if (c.name == name) return &c;
  }
  for (Container& c : spec.init_containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

bool IsTorchTuneCommand(const std::optional<std::vector<std::string>>& command) {
  return command && *command == std::vector<std::string>{"tune", "run"};
}

std::vector<FieldError> ValidateTorch(const RuntimeInfo& info, const TrainJob& trainjob) {
  std::vector<FieldError> errors;
  if (!info.HasTorchPolicy()) return errors;
  const auto& targets = info.ml_policy->torch->env_injection_targets;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    RuntimeInfo& mutable_info = const_cast<RuntimeInfo&>(info);
    ReplicatedJob* rjob = mutable_info.FindReplicatedJob(targets[i].job_name);
    for (const std::string& c : targets[i].container_names) {
      if (rjob == nullptr || FindContainer(rjob, c) == nullptr) {
        errors.push_back(FieldInvalid(
            fmt::format("spec.mlPolicy.torch.envInjection.targets[{}]", i), std::nullopt,
            fmt::format("envInjection target podSet \"{}\" container \"{}\" not found in runtime "
                        "template",
                        targets[i].job_name, c)));
      }
    }
  }
  if (!trainjob.spec.trainer) return errors;
  std::set<std::string> reserved;
  for (const EnvVar& e : trainjob.spec.trainer->env) {
    const auto& names = ReservedNames();
    if (std::find(names.begin(), names.end(), e.name) != names.end()) reserved.insert(e.name);
  }
  if (!reserved.empty()) {
    std::string listed;
    for (const std::string& n : reserved)
      listed += (listed.empty() ? "" : " ") + n;
    std::string value;
    for (const EnvVar& e : trainjob.spec.trainer->env) {
      value += (value.empty() ? "" : ", ") + e.name;
    }
    errors.push_back(FieldInvalid(
        "spec.trainer.env", "[" + value + "]",
        fmt::format("must not have reserved envs, invalid envs configured: [{}]", listed)));
  }
  return errors;
}

std::string NumProcPerNode(const TrainJob& trainjob, const ResourceRequirements& resources) {
  std::string value = "auto";
  if (trainjob.spec.trainer && trainjob.spec.trainer->num_proc_per_node) {
    const nlohmann::json& v = *trainjob.spec.trainer->num_proc_per_node;
    value = v.is_string() ? v.get<std::string>() : v.dump();
  }
  if (value != "auto" || HasGpu(resources)) return value;
  return std::to_string(CpuCount(resources));
}

void EnforceTorchMLPolicy(RuntimeInfo* info, TrainJob* trainjob) {
  if (!info->HasTorchPolicy()) return;
  PodSet* trainer_ps = info->FindPodSetByAncestor(kAncestorTrainer);
  const auto& trainer = trainjob->spec.trainer;
  if (trainer_ps != nullptr && trainer && trainer->num_nodes)
    trainer_ps->count = *trainer->num_nodes;
  const std::int32_t nodes = trainer_ps != nullptr ? trainer_ps->count : 1;

  Container* node = info->FindContainerByAncestor(kAncestorTrainer, kTrainerNodeName);
  ResourceRequirements resources;
  if (trainer && trainer->resources_per_node) {
    resources = *trainer->resources_per_node;
  } else if (node != nullptr) {
    resources = node->resources;
  }
  const std::string nproc = NumProcPerNode(*trainjob, resources);

  // kubeflow/trainer#4076: without spec.trainer the trainer container gets
  // neither the PET_* variables nor the port.
  if (trainer && node != nullptr) {
    UpsertEnvVars(&node->env, trainer->env);
    const bool tune = IsTorchTuneCommand(trainer->command);
    UpsertEnvVars(&node->env, PetEnv(*trainjob, nodes, nproc, !tune));
    if (tune && (nodes > 1 || nproc != "1")) {
      trainjob->spec.trainer->command->push_back(
          fmt::format("--rdzv_endpoint={}-{}-0-0.{}:{}", trainjob->metadata.name, kTrainerNodeName,
                      trainjob->metadata.name, kTorchMasterPort));
    }
    UpsertPort(&node->ports, kTorchMasterPort);
  }
  // kubeflow/trainer#3516: the targets always get all five variables.
  for (const TorchEnvInjectionTarget& target : info->ml_policy->torch->env_injection_targets) {
    ReplicatedJob* rjob = info->FindReplicatedJob(target.job_name);
    if (rjob == nullptr) continue;
    for (const std::string& name : target.container_names) {
      if (Container* c = FindContainer(rjob, name)) {
        UpsertEnvVars(&c->env, PetEnv(*trainjob, nodes, nproc, true));
      }
    }
  }
}

}  // namespace ptsim
