#include "fakes/flyte/custom.hpp"

#include <limits>

#include <fmt/format.h>

#include "fakes/flyte/idl_json.hpp"

namespace ptsim::flyte {
namespace {

// Assigning a Python int to an int32 proto field raises
// ValueError("Value out of range: <n>") when it does not fit.
bool ToInt32(int64_t value, const std::string& field, int32_t* out, Diagnostics* d) {
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    d->Error({}, "", field, fmt::format("Value out of range: {}", value));
    return false;
  }
  *out = static_cast<int32_t>(value);
  return true;
}

// _convert_run_policy_to_flyte_idl: None fields stay unset (zero).
idl::RunPolicy ConvertRunPolicy(const RunPolicy& p, const std::string& field, Diagnostics* d) {
  idl::RunPolicy out;
  out.clean_pod_policy = p.clean_pod_policy.value_or(CleanPodPolicy::kNone);
  if (p.ttl_seconds_after_finished) {
    ToInt32(*p.ttl_seconds_after_finished, field + ".ttl_seconds_after_finished",
            &out.ttl_seconds_after_finished, d);
  }
  if (p.active_deadline_seconds) {
    ToInt32(*p.active_deadline_seconds, field + ".active_deadline_seconds",
            &out.active_deadline_seconds, d);
  }
  if (p.backoff_limit) ToInt32(*p.backoff_limit, field + ".backoff_limit", &out.backoff_limit, d);
  return out;
}

// _convert_replica_spec for a Master or a Worker: resources always set
// (possibly empty), replicas 1 for the Master, the restart policy when given.
template <typename Replica>
idl::DistributedPyTorchTrainingReplicaSpec ConvertReplica(const Replica& r,
                                                          std::optional<int64_t> replicas,
                                                          const std::string& field,
                                                          Diagnostics* d) {
  idl::DistributedPyTorchTrainingReplicaSpec out;
  if (replicas) ToInt32(*replicas, field + ".replicas", &out.replicas, d);
  out.image = r.image.value_or("");
  auto resources = ToResourceModel(r.requests, r.limits, field);
  if (resources.ok()) {
    out.resources = resources.value();
  } else {
    d->Append(resources.diagnostics());
  }
  out.restart_policy = r.restart_policy.value_or(RestartPolicy::kNever);
  return out;
}

}  // namespace

Result<idl::DistributedPyTorchTrainingTask> BuildTrainingTask(const PyTorchFunctionTask& task) {
  const PyTorch& config = task.task_config();
  Diagnostics d;
  idl::DistributedPyTorchTrainingTask out;
  out.worker_replicas = ConvertReplica(config.worker, config.worker.replicas, "pytorch.worker", &d);
  // Support v0 config for backwards compatibility: a truthy num_workers wins.
  if (config.num_workers.value_or(0) != 0) {
    ToInt32(*config.num_workers, "pytorch.num_workers", &out.worker_replicas->replicas, &d);
  }
  if (config.run_policy)
    out.run_policy = ConvertRunPolicy(*config.run_policy, "pytorch.run_policy", &d);
  out.master_replicas = ConvertReplica(config.master, int64_t{1}, "pytorch.master", &d);
  if (!d.ok()) return d;
  return out;
}

Result<std::optional<idl::DistributedPyTorchTrainingTask>> BuildTrainingTask(
    const PytorchElasticFunctionTask& task) {
  // nnodes == 1: torch elastic runs in a normal pod, no training operator.
  if (task.task_type() == PytorchElasticFunctionTask::kElasticTaskTypeStandalone) {
    return std::optional<idl::DistributedPyTorchTrainingTask>();
  }
  const Elastic& config = task.task_config();
  Diagnostics d;
  idl::ElasticConfig elastic;
  elastic.rdzv_backend = std::string(PytorchElasticFunctionTask::kRdzvBackend);
  ToInt32(task.min_nodes(), "elastic.nnodes", &elastic.min_replicas, &d);
  ToInt32(task.max_nodes(), "elastic.nnodes", &elastic.max_replicas, &d);
  ToInt32(config.nproc_per_node, "elastic.nproc_per_node", &elastic.nproc_per_node, &d);
  ToInt32(config.max_restarts, "elastic.max_restarts", &elastic.max_restarts, &d);

  idl::DistributedPyTorchTrainingTask out;
  out.worker_replicas.emplace();
  out.worker_replicas->replicas = elastic.max_replicas;
  out.elastic_config = elastic;
  if (config.run_policy)
    out.run_policy = ConvertRunPolicy(*config.run_policy, "elastic.run_policy", &d);
  if (!d.ok()) return d;
  return std::optional(out);
}

Result<nlohmann::json> GetCustom(const PyTorchFunctionTask& task) {
  auto message = BuildTrainingTask(task);
  if (!message.ok()) return message.diagnostics();
  return MessageToDict(message.value());
}

Result<std::optional<nlohmann::json>> GetCustom(const PytorchElasticFunctionTask& task) {
  auto message = BuildTrainingTask(task);
  if (!message.ok()) return message.diagnostics();
  if (!message.value()) return std::optional<nlohmann::json>();
  return std::optional(MessageToDict(**message));
}

nlohmann::json LegacyCustom(int32_t num_workers) {
  idl::v0::DistributedPyTorchTrainingTask task;
  task.workers = num_workers;
  return MessageToDict(task);
}

Result<SerializedTask> Serialize(const FunctionTask& task) {
  if (const auto* pytorch = std::get_if<PyTorchFunctionTask>(&task)) {
    auto custom = GetCustom(*pytorch);
    if (!custom.ok()) return custom.diagnostics();
    return SerializedTask{std::string(pytorch->task_type()), pytorch->task_type_version(),
                          custom.value()};
  }
  const auto& elastic = std::get<PytorchElasticFunctionTask>(task);
  auto custom = GetCustom(elastic);
  if (!custom.ok()) return custom.diagnostics();
  return SerializedTask{std::string(elastic.task_type()), elastic.task_type_version(),
                        custom.value()};
}

}  // namespace ptsim::flyte
