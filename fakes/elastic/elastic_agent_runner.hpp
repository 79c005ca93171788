// The torchrun interceptor: a CommandInterceptor that the kubelet asks before
// running a container's command. When the command is torchrun-like
// (torchrun_command.hpp) and the policy says so, it runs an emulated
// ElasticAgent instead of a process; its workers go through the ProcessRunner
// given here (the simulation's runner: real processes, or scripted ones for a
// scripted container). Policy: kEmulate intercepts every torchrun command;
// kReal none; kAuto (the default) intercepts real containers when real
// torchrun is unusable (TorchProbe), and never a scripted one. Agents of one
// simulation meet in the RendezvousRegistry they share. Loop thread only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "fakes/elastic/elastic_agent.hpp"
#include "fakes/elastic/rendezvous_registry.hpp"
#include "fakes/elastic/torch_probe.hpp"
#include "fakes/kubelet/host_network.hpp"
#include "fakes/process/command_interceptor.hpp"
#include "sim/core/random.hpp"
#include "sim/core/trace.hpp"

namespace ptsim::elastic {

enum class ElasticPolicy { kAuto, kEmulate, kReal };

// "auto", "emulate", "real".
std::optional<ElasticPolicy> ParseElasticPolicy(std::string_view text);
std::string_view ElasticPolicyName(ElasticPolicy policy);

class ElasticAgentRunner final : public CommandInterceptor {
 public:
  struct Options {
    ElasticPolicy policy = ElasticPolicy::kAuto;
    ElasticAgentOptions agent;  // includes the torch profile
    // sys.executable for Python workers; empty: the launcher's interpreter
    // (the `python -m` executable, or torchrun's shebang) when the container's
    // PATH has it, else python3 from that PATH.
    std::string python_executable;
    double epoch_seconds = 0;  // Unix time of virtual time 0, for printed timestamps
    int cpu_count = 1;         // os.cpu_count() for --nproc_per_node auto/cpu
    // Agents of real (not scripted) containers serve the stores they host on
    // real sockets, for real workers (store_server.hpp). Tests whose workers
    // are not real turn it off.
    bool real_stores = true;
  };
  // Optional collaborators; null means absent.
  struct Deps {
    HostNetwork* network = nullptr;  // pod addresses (MASTER_ADDR, store keys)
    PortAllocator* ports = nullptr;  // c10d master ports
    TorchProbe* probe = nullptr;     // kAuto; null: real torchrun counts as usable
    Trace* trace = nullptr;
    Notes* notes = nullptr;  // waits in silence (agent_watch.hpp)
  };

  ElasticAgentRunner(EventLoop& loop, ProcessRunner& workers, RendezvousRegistry& registry,
                     Random random, Options options, Deps deps);
  ~ElasticAgentRunner() override;

  bool Intercepts(const ProcessSpec& spec) const override;
  // Starts an agent for `spec` (a torchrun command); never fails: a bad
  // command line is reported by the agent, as torchrun reports it.
  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override;
  // Starts an agent for a launch planned elsewhere (a Flyte Elastic task's
  // PlanFlyteElastic: the container's command is the workers' program), with
  // `agent` replacing the runner's agent options. Never fails; the id works
  // with Signal, Running and agent().
  ProcessId SpawnPlanned(const ProcessSpec& spec, LaunchPlan plan, ElasticAgentOptions agent,
                         Callbacks callbacks);
  void Signal(ProcessId id, int signal) override;
  bool Running(ProcessId id) const override;
  int Pid(ProcessId) const override { return 0; }

  const Options& options() const { return options_; }
  // The agent context Spawn gives an agent for `spec` (its pod, address and
  // random stream).
  AgentContext ContextFor(const ProcessSpec& spec);
  // The agent behind `id` (kept after it ended), else null.
  const ElasticAgent* agent(ProcessId id) const;
  std::size_t running() const;

 private:
  ProcessId Start(AgentContext ctx, const ProcessSpec& spec, LaunchPlan plan,
                  ElasticAgentOptions agent_options, Callbacks callbacks);

  EventLoop& loop_;
  ProcessRunner& workers_;
  RendezvousRegistry& registry_;
  Random random_;
  Options options_;
  Deps deps_;
  ProcessId next_id_ = 1;
  std::map<ProcessId, std::unique_ptr<ElasticAgent>> agents_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace ptsim::elastic
