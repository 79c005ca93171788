#include "fakes/operator/pod_env.hpp"

#include <fmt/format.h>

#include <charconv>

namespace ptsim {
namespace {

// Go's strconv.Atoi: one optional sign and decimal digits, nothing else
// ("+-2" is not a number).
std::optional<int> Atoi(const std::string& s) {
  std::string_view v = s;
  if (!v.empty() && v[0] == '+') {
    v.remove_prefix(1);
    if (!v.empty() && v[0] == '-') return std::nullopt;
  }
  int out = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return out;
}

std::optional<std::int32_t> PytorchPort(const ReplicaSpec& spec) {
  for (const auto& c : spec.template_.spec.containers) {
    if (c.name != kPyTorchJobDefaultContainerName) continue;
    for (const auto& p : c.ports) {
      if (p.name == kPyTorchJobDefaultPortName) return p.container_port;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<bool> SetPodEnv(const PyTorchJob& job, const std::string& rtype_lower, int index,
                       PodSpec* spec, const OperatorProfile& profile) {
  const ReplicaSpecs& replicas = *job.spec.pytorch_replica_specs;
  const std::int32_t total = GetTotalReplicas(replicas);
  int nproc = 1;
  if (job.spec.nproc_per_node) {
    if (auto n = Atoi(*job.spec.nproc_per_node)) nproc = *n;
  }
  const int world_size = total * nproc;
  const bool has_master = ContainsMasterSpec(replicas);

  std::vector<EnvVar> vars;
  vars.push_back({"PYTHONUNBUFFERED", "1", {}});
  if (has_master) {
    // master.go: the master generator.
    auto port = PytorchPort(replicas.at(kReplicaTypeMaster));
    if (!port) {
      Diagnostics d;
      d.Error({}, fmt::format("PyTorchJob \"{}\"", job.metadata.name), "", "port not found");
      return d;
    }
    const std::string addr = GenGeneralName(job.metadata.name, kReplicaTypeMaster, 0);
    vars.push_back({"MASTER_PORT", std::to_string(*port), {}});
    vars.push_back({"PET_MASTER_PORT", std::to_string(*port), {}});
    vars.push_back({"MASTER_ADDR", addr, {}});
    vars.push_back({"PET_MASTER_ADDR", addr, {}});
    const int rank = index + (rtype_lower == "worker" ? 1 : 0);
    vars.push_back({"WORLD_SIZE", std::to_string(world_size), {}});
    vars.push_back({"RANK", std::to_string(rank), {}});
    // v1.7.0 appends PET_NPROC_PER_NODE here, inside the master block
    // (envvar.go @v1.7.0). Upstream dereferences spec.nprocPerNode without a
    // check and would crash when it is unset (only possible with the
    // deprecated elasticPolicy.nProcPerNode); ptsim leaves the variable out.
    if (profile.nproc_env_with_master_only && job.spec.nproc_per_node) {
      vars.push_back({"PET_NPROC_PER_NODE", *job.spec.nproc_per_node, {}});
    }
    vars.push_back({"PET_NODE_RANK", std::to_string(rank), {}});
  }
  // v1.8+: whenever spec.nprocPerNode is set, master or not.
  if (!profile.nproc_env_with_master_only && job.spec.nproc_per_node) {
    vars.push_back({"PET_NPROC_PER_NODE", *job.spec.nproc_per_node, {}});
  }
  if (job.spec.elastic_policy) {
    // elastic.go: the elastic generator, in its order.
    const ElasticPolicy& e = *job.spec.elastic_policy;
    const std::string host =
        e.rdzv_host.value_or(GenGeneralName(job.metadata.name, kReplicaTypeWorker, 0));
    std::int32_t port = 0;
    if (e.rdzv_port) {
      port = *e.rdzv_port;
    } else if (auto it = replicas.find(kReplicaTypeWorker); it != replicas.end()) {
      auto p = PytorchPort(it->second);
      if (!p) {
        Diagnostics d;
        d.Error({}, fmt::format("PyTorchJob \"{}\"", job.metadata.name), "", "port not found");
        return d;
      }
      port = *p;
    }
    vars.push_back({"PET_RDZV_ENDPOINT", fmt::format("{}:{}", host, port), {}});
    vars.push_back({"PET_RDZV_BACKEND", e.rdzv_backend.value_or("c10d"), {}});
    std::string nnodes;
    if (e.min_replicas && e.max_replicas) {
      nnodes = fmt::format("{}:{}", *e.min_replicas, *e.max_replicas);
    } else {
      nnodes = std::to_string(replicas.count(kReplicaTypeWorker)
                                  ? replicas.at(kReplicaTypeWorker).replicas.value_or(1)
                                  : 1);
    }
    vars.push_back({"PET_NNODES", nnodes, {}});
    if (e.max_restarts) vars.push_back({"PET_MAX_RESTARTS", std::to_string(*e.max_restarts), {}});
    if (e.n_proc_per_node)
      vars.push_back({"PET_NPROC_PER_NODE", std::to_string(*e.n_proc_per_node), {}});
    if (e.rdzv_id) vars.push_back({"PET_RDZV_ID", *e.rdzv_id, {}});
    if (e.rdzv_conf) {
      std::string conf;
      for (const auto& kv : *e.rdzv_conf)
        conf += (conf.empty() ? "" : ",") + kv.key + "=" + kv.value;
      vars.push_back({"PET_RDZV_CONF", conf, {}});
    }
    if (e.standalone && *e.standalone) vars.push_back({"PET_STANDALONE", "", {}});
  } else {
    vars.push_back({"PET_NNODES", std::to_string(total), {}});
  }
  for (auto& c : spec->containers)
    c.env.insert(c.env.end(), vars.begin(), vars.end());
  return true;
}

std::string InitContainerScript(const std::string& master_addr, int max_tries) {
  return fmt::format(
      "err=1;for i in $(seq {}); do if nslookup {}; then err=0 && break; fi;echo waiting for "
      "master; sleep 2; done; exit $err",
      max_tries, master_addr);
}

void SetInitContainer(const PyTorchJob& job, const std::string& rtype_lower, PodSpec* spec,
                      const std::string& image, int max_tries) {
  if (!ContainsMasterSpec(*job.spec.pytorch_replica_specs) || rtype_lower != "worker") return;
  Container c;
  c.name = "init-pytorch";
  c.image = image;
  c.image_pull_policy = "IfNotPresent";
  c.resources.limits["cpu"] = Quantity::Parse("100m").value();
  c.resources.limits["memory"] = Quantity::Parse("20Mi").value();
  c.resources.requests["cpu"] = Quantity::Parse("50m").value();
  c.resources.requests["memory"] = Quantity::Parse("10Mi").value();
  c.command = {
      "sh", "-c",
      InitContainerScript(GenGeneralName(job.metadata.name, kReplicaTypeMaster, 0), max_tries)};
  spec->init_containers.push_back(std::move(c));
}

}  // namespace ptsim
