// torch's RendezvousHandler (rendezvous/api.py) as an asynchronous interface
// for the emulated agent: creating the handler (which for c10d connects to or
// hosts the TCPStore), next_rendezvous, num_nodes_waiting, shutdown. Errors
// are the Python exceptions torch raises, as TorchrunError values.
// Implementations: StaticRendezvous (static_rendezvous.hpp) and
// C10dRendezvous (c10d_rendezvous.hpp). Loop thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fakes/elastic/agent_context.hpp"
#include "fakes/elastic/torchrun_error.hpp"

namespace ptsim::elastic {

struct RendezvousResult {
  StoreHandle store;  // the round's store (a PrefixStore)
  int group_rank = 0;
  int group_world_size = 0;
};

class RendezvousHandler {
 public:
  using Created = std::function<void(std::optional<TorchrunError>)>;
  using Joined = std::function<void(std::variant<RendezvousResult, TorchrunError>)>;

  virtual ~RendezvousHandler() = default;
  virtual std::string backend() const = 0;
  virtual std::string run_id() const = 0;
  // registry.get_rendezvous_handler(): may wait (a c10d client connecting).
  virtual void Create(Created done) = 0;
  virtual void NextRendezvous(Joined done) = 0;
  virtual std::variant<int, TorchrunError> NumNodesWaiting() = 0;
  // shutdown(): closes the rendezvous; errors are logged, not raised.
  virtual void Shutdown() = 0;
  // A signal interrupted the agent: drop what is in flight, keep the state.
  virtual void Abandon() = 0;
  // The agent's process ended: heartbeats stop and a hosted server goes away.
  virtual void ProcessEnded() = 0;
  // While Create or NextRendezvous has not called back: what the agent waits
  // for ("for node rank 0 ... at 127.0.1.1:23456"), and when torch gives up.
  virtual std::string WaitDescription() const = 0;
  virtual Duration WaitTimeout() const = 0;
};

}  // namespace ptsim::elastic
