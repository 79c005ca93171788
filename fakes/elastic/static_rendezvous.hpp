// The static rendezvous (rendezvous/static_tcp_rendezvous.py): a fixed world
// of max_nodes agents and this agent's --node_rank, meeting in a TCPStore on
// master_addr:master_port that node rank 0 hosts. The first next_rendezvous
// creates the store: the master waits (up to the rendezvous timeout) until all
// world_size clients connected, the others until the master serves. Later
// rounds return at once with the same ranks: no membership changes, and
// num_nodes_waiting is always 0. Loop thread only.
#pragma once

#include "fakes/elastic/launch_config.hpp"
#include "fakes/elastic/rendezvous_handler.hpp"

namespace ptsim::elastic {

class StaticRendezvous final : public RendezvousHandler {
 public:
  StaticRendezvous(AgentContext& ctx, const ElasticLaunchConfig& config);
  ~StaticRendezvous() override;

  std::string backend() const override { return "static"; }
  std::string run_id() const override { return run_id_; }
  void Create(Created done) override;
  void NextRendezvous(Joined done) override;
  std::variant<int, TorchrunError> NumNodesWaiting() override { return 0; }
  void Shutdown() override {}
  void Abandon() override;
  void ProcessEnded() override;
  std::string WaitDescription() const override;
  Duration WaitTimeout() const override { return timeout_; }

 private:
  AgentContext& ctx_;
  std::string master_addr_;
  int master_port_;
  int rank_;
  int world_size_;
  std::string run_id_;
  Duration timeout_;
  TcpStore* store_ = nullptr;
  std::uint64_t epoch_ = 0;
  bool created_ = false;
  LifeToken life_;
};

}  // namespace ptsim::elastic
