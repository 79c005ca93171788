#include "fakes/elastic/elastic_agent_runner.hpp"

#include "fakes/elastic/torchrun_args.hpp"
#include "fakes/process/real_process_runner.hpp"

namespace ptsim::elastic {

std::optional<ElasticPolicy> ParseElasticPolicy(std::string_view text) {
  if (text == "auto") return ElasticPolicy::kAuto;
  if (text == "emulate") return ElasticPolicy::kEmulate;
  if (text == "real") return ElasticPolicy::kReal;
  return std::nullopt;
}

std::string_view ElasticPolicyName(ElasticPolicy policy) {
  switch (policy) {
    case ElasticPolicy::kAuto:
      return "auto";
    case ElasticPolicy::kEmulate:
      return "emulate";
    case ElasticPolicy::kReal:
      return "real";
  }
  return "auto";
}

ElasticAgentRunner::ElasticAgentRunner(EventLoop& loop, ProcessRunner& workers,
                                       RendezvousRegistry& registry, Random random, Options options,
                                       Deps deps)
    : loop_(loop),
      workers_(workers),
      registry_(registry),
      random_(std::move(random)),
      options_(std::move(options)),
      deps_(deps) {}

ElasticAgentRunner::~ElasticAgentRunner() {
  *alive_ = false;
  agents_.clear();  // each agent SIGKILLs its workers
}

bool ElasticAgentRunner::Intercepts(const ProcessSpec& spec) const {
  if (options_.policy == ElasticPolicy::kReal) return false;
  auto command = RecognizeTorchrun(spec.argv);
  if (!command) return false;
  if (options_.policy == ElasticPolicy::kEmulate) return true;
  // kAuto: a scripted container stays a script; a real one is emulated only
  // when real torchrun cannot run.
  if (spec.script != nullptr) return false;
  if (deps_.probe == nullptr) return false;
  std::string why;
  return !deps_.probe->RealTorchrunUsable(*command, spec.env, &why, options_.agent.profile.version);
}

AgentContext ElasticAgentRunner::ContextFor(const ProcessSpec& spec) {
  const EnvMap env = EnvMapOf(spec.env);
  // "ns/pod/container": the pod's name and namespace.
  std::string ns;
  std::string pod = spec.name;
  if (auto first = spec.name.find('/'); first != std::string::npos) {
    ns = spec.name.substr(0, first);
    auto second = spec.name.find('/', first + 1);
    pod = spec.name.substr(first + 1,
                           second == std::string::npos ? std::string::npos : second - first - 1);
  }
  AgentContext ctx;
  ctx.loop = &loop_;
  ctx.registry = &registry_;
  ctx.agent_id = registry_.NextAgentId();
  // socket.getfqdn() in a pod is the pod's name (HOSTNAME may have been
  // rewritten to an address by host networking).
  if (!pod.empty() && pod != spec.name) {
    ctx.hostname = pod;
  } else if (auto h = env.find("HOSTNAME"); h != env.end() && !h->second.empty()) {
    ctx.hostname = h->second;
  }
  if (deps_.network && !ns.empty()) ctx.address = deps_.network->PodIP(ns, pod);
  if (deps_.network) {
    // Notes name the pod the user wrote, not the loopback address it became.
    HostNetwork* network = deps_.network;
    ctx.name_endpoint = [network](const std::string& host, int port) -> std::string {
      const auto owner = network->OwnerOf(host, port);
      if (!owner) return "";
      const std::string name = owner->pod.substr(owner->pod.find('/') + 1);
      return fmt::format("{}:{}", name, owner->declared_port);
    };
  }
  ctx.random = random_.Fork(spec.name + "#" + std::to_string(spec.incarnation));
  ctx.epoch_seconds = options_.epoch_seconds;
  ctx.real_sockets = options_.real_stores && spec.script == nullptr;
  return ctx;
}

Result<ProcessId> ElasticAgentRunner::Spawn(const ProcessSpec& spec, Callbacks callbacks) {
  const EnvMap env = EnvMapOf(spec.env);
  AgentContext ctx = ContextFor(spec);
  LaunchInputs inputs;
  inputs.cpu_count = options_.cpu_count;
  inputs.python_executable = options_.python_executable;
  if (inputs.python_executable.empty()) {
    // sys.executable: the launcher's interpreter when it exists, else python3.
    std::string why;
    if (auto command = RecognizeTorchrun(spec.argv)) {
      inputs.python_executable = LauncherInterpreter(*command, spec.env, &why);
    }
    if (inputs.python_executable.empty()) {
      inputs.python_executable = ResolveExecutable("python3", spec.env, &why);
    }
    if (inputs.python_executable.empty()) inputs.python_executable = "python3";
  }
  Random ids = ctx.random.Fork("run-ids");
  inputs.standalone_run_id = ids.Uuid();
  inputs.generated_run_id = std::to_string(ids.Next());
  LaunchPlan plan = PlanTorchrun(spec.argv, env, options_.agent.profile, inputs);
  return Start(std::move(ctx), spec, std::move(plan), options_.agent, std::move(callbacks));
}

ProcessId ElasticAgentRunner::SpawnPlanned(const ProcessSpec& spec, LaunchPlan plan,
                                           ElasticAgentOptions agent, Callbacks callbacks) {
  return Start(ContextFor(spec), spec, std::move(plan), std::move(agent), std::move(callbacks));
}

ProcessId ElasticAgentRunner::Start(AgentContext ctx, const ProcessSpec& spec, LaunchPlan plan,
                                    ElasticAgentOptions agent_options, Callbacks callbacks) {
  const ProcessId id = next_id_++;
  // A finished agent stays (for agent(id)) until the runner goes; its workers are gone.
  std::weak_ptr<bool> alive = alive_;
  ElasticAgent::Deps agent_deps;
  agent_deps.workers = &workers_;
  agent_deps.ports = deps_.ports;
  agent_deps.trace = deps_.trace;
  agent_deps.notes = deps_.notes;
  auto agent = std::make_unique<ElasticAgent>(std::move(ctx), agent_deps, std::move(agent_options),
                                              spec, std::move(plan), std::move(callbacks));
  ElasticAgent* raw = agent.get();
  agents_.emplace(id, std::move(agent));
  // Callbacks never run inside Spawn.
  loop_.Post([this, alive, id, raw] {
    if (!alive.expired() && agents_.count(id)) raw->Start();
  });
  return id;
}

void ElasticAgentRunner::Signal(ProcessId id, int signal) {
  auto it = agents_.find(id);
  if (it != agents_.end()) it->second->Signal(signal);
}

bool ElasticAgentRunner::Running(ProcessId id) const {
  auto it = agents_.find(id);
  return it != agents_.end() && !it->second->finished();
}

const ElasticAgent* ElasticAgentRunner::agent(ProcessId id) const {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : it->second.get();
}

}  // namespace ptsim::elastic

namespace ptsim::elastic {

std::size_t ElasticAgentRunner::running() const {
  std::size_t n = 0;
  for (const auto& [id, a] : agents_)
    n += a->finished() ? 0 : 1;
  return n;
}

}  // namespace ptsim::elastic
