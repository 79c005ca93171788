// torch's elastic/utils/store.py over the TCPStore model: synchronize()
// (every agent sets "<prefix><rank>", reads all world_size keys, sets
// "<prefix><rank>.FIN", and rank 0 waits for every FIN so that it, the
// store's usual host, leaves last) and barrier(). Keys are never deleted, so
// a second synchronize on the same prefix finds the first one's keys and
// returns at once, which is why a static rendezvous re-run after a restart
// does not wait for the other agents. Store errors are the RuntimeErrors a
// TCPStore client raises ("Socket Timeout", a lost connection). Loop thread only.
#pragma once

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "fakes/elastic/agent_context.hpp"
#include "fakes/elastic/torchrun_error.hpp"

namespace ptsim::elastic {

using SyncDone = std::function<void(std::variant<std::vector<std::string>, TorchrunError>)>;

// Never calls `done` synchronously.
void Synchronize(const AgentContext& ctx, const StoreHandle& store, std::string data, int rank,
                 int world_size, const std::string& key_prefix, Duration timeout, SyncDone done);
void Barrier(const AgentContext& ctx, const StoreHandle& store, int rank, int world_size,
             const std::string& key_prefix, Duration timeout,
             std::function<void(std::optional<TorchrunError>)> done);

// The RuntimeError a client sees once its server is gone.
TorchrunError StoreConnectionLost();
TorchrunError StoreTimeout();

}  // namespace ptsim::elastic
