// Says when an emulated agent, or the workers it started, wait for something
// that is not coming, instead of letting the run wait in silence until its
// timeout. Three waits, each noted once (a Note, which every report and the
// timeline show, and a trace line):
//  - the agent's rendezvous: still waiting `rendezvous_after` (30 s, at most
//    half the rendezvous timeout) after it began, with what it waits for;
//  - a worker group told to use an agent's store (TORCHELASTIC_USE_AGENT_STORE
//    =True) at MASTER_ADDR:MASTER_PORT where no agent serves one, at once, or
//    when that store closes while the group runs (its hosting torchrun ended):
//    torch's TCPStore client retries a refused connection silently until its
//    timeout (30 min for init_process_group);
//  - a group whose rank 0 worker hosts the store itself (USE_AGENT_STORE=
//    False): nothing has listened on MASTER_PORT in the `store_grace` (60 s)
//    since the group started (polled once a second from /proc/net/tcp{,6};
//    real processes only; a store seen once is up, and its closing at the
//    end of the run is no news).
// Owned by the agent; loop thread only.
#pragma once

#include <functional>
#include <string>

#include "fakes/elastic/agent_context.hpp"
#include "sim/core/notes.hpp"
#include "sim/core/trace.hpp"

namespace ptsim::elastic {

class AgentWatch {
 public:
  struct Options {
    Duration rendezvous_after = std::chrono::seconds(30);
    Duration store_grace = std::chrono::seconds(60);
  };
  // `who`: the container ("ns/pod/container").
  AgentWatch(AgentContext& ctx, Notes* notes, Trace* trace, std::string who, Options options);
  ~AgentWatch();
  AgentWatch(const AgentWatch&) = delete;
  AgentWatch& operator=(const AgentWatch&) = delete;

  // The agent began waiting for its rendezvous; `describe` says for what
  // (asked when the note is due), `timeout` when torch gives up.
  void RendezvousWaitBegan(std::function<std::string()> describe, Duration timeout);
  void RendezvousWaitEnded();
  // A worker group started; `real` when its workers are real processes.
  void WorkersStarted(const std::string& master_addr, int master_port, bool use_agent_store,
                      bool real);
  void WorkersStopped();

  // True when a socket of this machine listens on TCP `port` (/proc/net/tcp, tcp6).
  static bool PortListening(int port);

 private:
  void Note(const std::string& text);
  void PollWorkerStore(const std::string& endpoint, int port, Time deadline);

  AgentContext& ctx_;
  Notes* notes_;
  Trace* trace_;
  std::string who_;
  Options options_;
  EventLoop::TimerId rendezvous_timer_;
  EventLoop::TimerId store_timer_;
  TcpStore* watched_ = nullptr;
  std::uint64_t stop_listener_ = 0;
  LifeToken life_;
};

}  // namespace ptsim::elastic
