// The c10d rendezvous: C10dRendezvousBackend (c10d_rendezvous_backend.py)
// holding the state in a TCPStore that the agent on the endpoint's host
// serves (is_host, or the hostname heuristic; a second would-be host falls
// back to a client, a client waits up to read_timeout for the server), and
// DynamicRendezvousHandler (dynamic_rendezvous.py) driving the exit and join
// operations in virtual time: a 0-0.3 s skew before the first round, a 1 s
// poll while waiting (SYNC), keep-alive heartbeats every 5 s while joined, dead
// nodes dropped after 15 s without one, and num_nodes_waiting served from a
// state at most 1 s old (cache_duration). Loop thread only.
#pragma once

#include "fakes/elastic/dynamic_rendezvous.hpp"
#include "fakes/elastic/launch_config.hpp"
#include "fakes/elastic/rendezvous_handler.hpp"

namespace ptsim::elastic {

class C10dRendezvous final : public RendezvousHandler {
 public:
  C10dRendezvous(AgentContext& ctx, const ElasticLaunchConfig& config);
  ~C10dRendezvous() override;

  std::string backend() const override { return "c10d"; }
  std::string run_id() const override { return settings_.run_id; }
  void Create(Created done) override;
  void NextRendezvous(Joined done) override;
  std::variant<int, TorchrunError> NumNodesWaiting() override;
  void Shutdown() override;
  void Abandon() override;
  void ProcessEnded() override;
  std::string WaitDescription() const override;
  Duration WaitTimeout() const override {
    return epoch_ == 0 ? config_.read_timeout : settings_.timeout.join;
  }

  const NodeDesc& node() const { return node_; }
  bool hosts_store() const { return store_ && store_->server_owner() == ctx_.agent_id; }

 private:
  using OpFn = std::function<RendezvousAction(const RendezvousState&, Time now, Time deadline)>;
  using OpDone = std::function<void(std::optional<TorchrunError>)>;
  bool MatchesMachineHostname(const std::string& host) const;
  void Connect(Created done);
  // _DistributedRendezvousOpExecutor.run.
  void RunOp(OpFn op, Time deadline, OpDone done);
  void Step(OpFn op, Time deadline, OpDone done);
  RendezvousState& State() { return store_->rendezvous(settings_.run_id); }
  void Sync();
  void StartHeartbeats();
  void StopHeartbeats();
  void KeepAlive();

  AgentContext& ctx_;
  RendezvousSettings settings_;
  ElasticLaunchConfig config_;
  NodeDesc node_;
  TcpStore* store_ = nullptr;
  std::uint64_t epoch_ = 0;
  // The locally held state's view (the _BackendRendezvousStateHolder cache).
  int local_round_ = 0;
  std::optional<Time> last_sync_;
  int cached_waiting_ = 0;
  EventLoop::TimerId heartbeat_;
  EventLoop::TimerId op_timer_;
  LifeToken life_;
};

TorchrunError RendezvousConnectionError();

}  // namespace ptsim::elastic
