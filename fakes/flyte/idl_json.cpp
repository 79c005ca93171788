// MessageToDict of the plugin messages (idl_json.hpp); the reading side is
// idl_json_read.cpp.
#include "fakes/flyte/idl_json.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

// Proto3 JSON printing rules: zero scalars, empty strings and empty repeated
// fields are left out; enums print their names; a set sub-message always
// prints, as {} when all of its fields are zero.

json EntriesToDict(const std::vector<idl::ResourceEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries) {
    json entry = json::object();
    if (e.name != idl::ResourceName::kUnknown) entry["name"] = idl::ProtoName(e.name);
    if (!e.value.empty()) entry["value"] = e.value;
    out.push_back(entry);
  }
  return out;
}

// MessageToDict prints an enum by name, or by number when it has no name.
template <typename E>
json EnumToDict(E e) {
  if (IsKnown(e)) return std::string(ProtoName(e));
  return static_cast<int32_t>(e);
}

template <typename Spec>
json ReplicaFieldsToDict(const Spec& spec) {
  json out = json::object();
  if (spec.replicas != 0) out["replicas"] = spec.replicas;
  if (!spec.image.empty()) out["image"] = spec.image;
  if (spec.resources) out["resources"] = MessageToDict(*spec.resources);
  if (spec.restart_policy != RestartPolicy::kNever) {
    out["restartPolicy"] = EnumToDict(spec.restart_policy);
  }
  return out;
}

json ReplicaToDict(const idl::DistributedPyTorchTrainingReplicaSpec& spec) {
  json out = ReplicaFieldsToDict(spec);
  if (spec.common) out["common"] = ReplicaFieldsToDict(*spec.common);
  return out;
}

json RunPolicyToDict(const idl::RunPolicy& p) {
  json out = json::object();
  if (p.clean_pod_policy != CleanPodPolicy::kNone) {
    out["cleanPodPolicy"] = EnumToDict(p.clean_pod_policy);
  }
  if (p.ttl_seconds_after_finished != 0) {
    out["ttlSecondsAfterFinished"] = p.ttl_seconds_after_finished;
  }
  if (p.active_deadline_seconds != 0) out["activeDeadlineSeconds"] = p.active_deadline_seconds;
  if (p.backoff_limit != 0) out["backoffLimit"] = p.backoff_limit;
  return out;
}

json ElasticToDict(const idl::ElasticConfig& c) {
  json out = json::object();
  if (!c.rdzv_backend.empty()) out["rdzvBackend"] = c.rdzv_backend;
  if (c.min_replicas != 0) out["minReplicas"] = c.min_replicas;
  if (c.max_replicas != 0) out["maxReplicas"] = c.max_replicas;
  if (c.nproc_per_node != 0) out["nprocPerNode"] = c.nproc_per_node;
  if (c.max_restarts != 0) out["maxRestarts"] = c.max_restarts;
  return out;
}

}  // namespace

json MessageToDict(const idl::Resources& resources) {
  json out = json::object();
  if (!resources.requests.empty()) out["requests"] = EntriesToDict(resources.requests);
  if (!resources.limits.empty()) out["limits"] = EntriesToDict(resources.limits);
  return out;
}

json MessageToDict(const idl::DistributedPyTorchTrainingTask& task) {
  json out = json::object();
  if (task.worker_replicas) out["workerReplicas"] = ReplicaToDict(*task.worker_replicas);
  if (task.master_replicas) out["masterReplicas"] = ReplicaToDict(*task.master_replicas);
  if (task.run_policy) out["runPolicy"] = RunPolicyToDict(*task.run_policy);
  if (task.elastic_config) out["elasticConfig"] = ElasticToDict(*task.elastic_config);
  return out;
}

json MessageToDict(const idl::v0::DistributedPyTorchTrainingTask& task) {
  json out = json::object();
  if (task.workers != 0) out["workers"] = task.workers;
  if (task.elastic_config) out["elasticConfig"] = ElasticToDict(*task.elastic_config);
  return out;
}

}  // namespace ptsim::flyte
