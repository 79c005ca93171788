#include "sim/model/pytorchjob_defaults.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ptsim {
namespace {

constexpr const char* kDefaultNprocPerNode = "auto";    // pytorch_defaults.go DefaultNprocPerNode
constexpr const char* kDefaultCleanPodPolicy = "None";  // CleanPodPolicyNone
constexpr const char* kPyTorchJobDefaultRestartPolicy = "OnFailure";  // pytorch_types.go

bool EqualFoldAscii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// setTypeNameToCamelCase (defaulting_utils.go).
void SetTypeNameToCamelCase(std::map<std::string, ReplicaSpec>* specs, const std::string& type) {
  for (auto it = specs->begin(); it != specs->end(); ++it) {
    if (EqualFoldAscii(it->first, type) && it->first != type) {
      ReplicaSpec spec = std::move(it->second);
      specs->erase(it);
      (*specs)[type] = std::move(spec);
      return;
    }
  }
}

}  // namespace

void SetPyTorchTypeNamesToCamelCase(PyTorchJob* job) {
  if (!job->spec.pytorch_replica_specs) return;
  for (const char* type : {kReplicaTypeMaster, kReplicaTypeWorker}) {
    SetTypeNameToCamelCase(&*job->spec.pytorch_replica_specs, type);
  }
}

void SetPyTorchDefaultPort(PodSpec* spec) {
  // getDefaultContainerIndex: the container named pytorch, else index 0.
  // Upstream indexes Containers[0] unguarded (a panic with no containers).
  if (spec->containers.empty()) return;
  std::size_t index = 0;
  for (std::size_t i = 0; i < spec->containers.size(); ++i) {
    if (spec->containers[i].name == kPyTorchJobDefaultContainerName) {
      index = i;
      break;
    }
  }
  // hasDefaultPort / setDefaultPort: matched by name only; no protocol set.
  auto& ports = spec->containers[index].ports;
  const bool has_port = std::any_of(ports.begin(), ports.end(), [](const ContainerPort& p) {
    return p.name == kPyTorchJobDefaultPortName;
  });
  if (!has_port) {
    ContainerPort port;
    port.name = kPyTorchJobDefaultPortName;
    port.container_port = kPyTorchJobDefaultPort;
    ports.push_back(port);
  }
}

void SetElasticPolicy(PyTorchJob* job) {
  if (!job->spec.elastic_policy) return;
  ElasticPolicy& ep = *job->spec.elastic_policy;
  if (ep.max_replicas && ep.min_replicas) return;
  if (ep.max_replicas) {
    ep.min_replicas = ep.max_replicas;
  } else if (ep.min_replicas) {
    ep.max_replicas = ep.min_replicas;
  } else {
    // Both take Worker.replicas (defaulted to 1 by step 3 when run in order).
    // Upstream dereferences a missing Worker spec here (nil pointer panic).
    if (!job->spec.pytorch_replica_specs) return;
    auto it = job->spec.pytorch_replica_specs->find(kReplicaTypeWorker);
    if (it == job->spec.pytorch_replica_specs->end()) return;
    ep.max_replicas = it->second.replicas;
    ep.min_replicas = it->second.replicas;
  }
}

void SetDefaultNprocPerNode(PyTorchJob* job) {
  const auto& ep = job->spec.elastic_policy;
  if ((!ep || !ep->n_proc_per_node) && !job->spec.nproc_per_node) {
    job->spec.nproc_per_node = kDefaultNprocPerNode;
  }
}

PyTorchJob SetDefaults_PyTorchJob(PyTorchJob job) {  // NOLINT(readability-identifier-naming)
  // 1. cleanPodPolicy, only when nil.
  if (!job.spec.run_policy.clean_pod_policy) {
    job.spec.run_policy.clean_pod_policy = kDefaultCleanPodPolicy;
  }
  // 2. Replica-type keys to camel case.
  SetPyTorchTypeNamesToCamelCase(&job);
  // 3. Every replica spec: setDefaultReplicas, setDefaultRestartPolicy,
  //    setPyTorchDefaultPort.
  if (job.spec.pytorch_replica_specs) {
    for (auto& [type, spec] : *job.spec.pytorch_replica_specs) {
      if (!spec.replicas) spec.replicas = 1;
      if (spec.restart_policy.empty()) spec.restart_policy = kPyTorchJobDefaultRestartPolicy;
      SetPyTorchDefaultPort(&spec.template_.spec);
    }
  }
  // 4. Elastic min/max.
  SetElasticPolicy(&job);
  // 5. nprocPerNode.
  SetDefaultNprocPerNode(&job);
  return job;
}

}  // namespace ptsim
