#include "sim/harness/simulation.hpp"

#include <fmt/format.h>

#include "fakes/operator/controller_options.hpp"

namespace ptsim {

namespace {

elastic::ElasticAgentRunner::Options ElasticOptions(const SimulationOptions& options) {
  elastic::ElasticAgentRunner::Options o;
  o.policy = options.elastic_policy;
  o.agent.profile = elastic::TorchrunProfile::For(options.torch_version);
  if (!options.run_dir.empty()) o.agent.log_root = options.run_dir + "/torchelastic";
  o.epoch_seconds = options.unix_epoch_seconds;
  o.agent.log_policy = options.processes.log_policy;
  return o;
}

}  // namespace

NodeConfig DefaultNode(const std::string& name) {
  NodeConfig n;
  n.name = name;
  n.capacity["cpu"] = Quantity::FromUnits(32);
  n.capacity["memory"] = Quantity::Parse("128Gi").value();
  n.capacity["nvidia.com/gpu"] = Quantity::FromUnits(8);
  n.capacity["pods"] = Quantity::FromUnits(110);
  return n;
}

Simulation::Simulation(SimulationOptions options)
    : options_(std::move(options)),
      loop_(options_.wall ? *options_.wall : steady_),
      random_(options_.seed),
      api_(loop_, trace_, random_),
      scheduler_(api_),
      network_(api_, ports_),
      real_(loop_,
            {options_.processes.marker_env, options_.processes.guard, options_.processes.cgroups,
             options_.processes.working_dir.empty() ? options_.run_dir
                                                    : options_.processes.working_dir,
             options_.name, options_.processes.shim, options_.processes.log_policy}),
      scripted_(loop_, options_.processes.log_policy),
      mux_(real_, scripted_),
      faulty_(mux_),
      rendezvous_(loop_),
      elastic_(loop_, faulty_, rendezvous_, random_.Fork("elastic"), ElasticOptions(options_),
               {&network_, &ports_, options_.torch_probe ? options_.torch_probe : &own_probe_,
                &trace_, &notes_}),
      kubelets_(api_),
      node_lifecycle_(api_, notes_, options_.node_lifecycle),
      controller_(api_, notes_, ControllerOptionsFor(options_.operator_version)),
      job_controller_(api_),
      job_ttl_controller_(api_),
      jobset_controller_(api_),
      trainjob_controller_(api_, notes_, {options_.trainer_profile}) {
  // torchrun containers may run as an emulated elastic agent (docs/elastic.md).
  AddInterceptor(&elastic_);
  for (const auto& node : options_.nodes)
    AddNode(node);
}

Simulation::~Simulation() = default;

void Simulation::AddNode(const NodeConfig& config) {
  Node node;
  node.metadata.name = config.name;
  node.metadata.namespace_ = "";
  node.metadata.labels = config.labels;
  node.metadata.labels["kubernetes.io/hostname"] = config.name;
  node.spec.taints = config.taints;
  node.status.capacity = config.capacity;
  node.status.allocatable = config.capacity;
  node.status.internal_ip = "127.0.0.1";
  node.status.conditions.push_back({"Ready", "True", "KubeletReady",
                                    "kubelet is posting ready status", loop_.Now(), loop_.Now()});
  api_.collection<Node>().Create(node);
  KubeletConfig kc;
  kc.node_name = config.name;
  kc.run_dir = options_.run_dir;
  kc.base_env = options_.processes.base_env;
  Kubelet& k = kubelets_.Add(
      std::make_unique<Kubelet>(api_, faulty_, network_, images_, forwarding_puller_, kc));
  for (auto* o : observers_)
    k.AddObserver(o);
  for (auto* i : interceptors_)
    k.AddInterceptor(i);
}

void Simulation::AddInterceptor(CommandInterceptor* interceptor) {
  interceptors_.push_back(interceptor);
  for (const auto& k : kubelets_.all())
    k->AddInterceptor(interceptor);
}

void Simulation::AddObserver(KubeletObserver* observer) {
  observers_.push_back(observer);
  for (const auto& k : kubelets_.all())
    k->AddObserver(observer);
}

}  // namespace ptsim
