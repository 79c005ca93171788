// The c10d rendezvous state machine (rendezvous/dynamic_rendezvous.py): the
// shared _RendezvousState, the node descriptor, and the decisions of the
// exit, join, close and keep-alive operations, ported rule for rule. Time is
// virtual. The state lives in the TCPStore model (one per run id, like the
// "torch.rendezvous.<run_id>" key); agents mutate it directly, so there are
// no stale-state retries. Pure functions over the state; loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "fakes/elastic/launch_config.hpp"
#include "sim/core/time.hpp"

namespace ptsim::elastic {

// _NodeDesc: ordered by (fqdn, pid, local_id); ranks are enumerate(sorted(participants)).
// `agent` is ptsim's own id, a tie-break for agents whose fqdn and pid agree.
struct NodeDesc {
  std::string fqdn;
  int pid = 0;
  int local_id = 0;
  std::uint64_t agent = 0;

  std::string Repr() const;  // "fqdn_pid_localid"
  bool operator<(const NodeDesc& o) const {
    return std::tie(fqdn, pid, local_id, agent) < std::tie(o.fqdn, o.pid, o.local_id, o.agent);
  }
  bool operator==(const NodeDesc& o) const { return !(*this < o) && !(o < *this); }
};

// _RendezvousState.
struct RendezvousState {
  int round = 0;
  bool complete = false;
  std::optional<Time> deadline;
  bool closed = false;
  std::map<NodeDesc, int> participants;
  std::set<NodeDesc> wait_list;
  std::map<NodeDesc, Time> last_heartbeats;
};

struct RendezvousSettings {
  std::string run_id;
  int min_nodes = 1;
  int max_nodes = 1;
  RendezvousTimeouts timeout;
  Duration keep_alive_interval = std::chrono::seconds(5);
  int keep_alive_max_attempt = 3;
};

// _Action.
enum class RendezvousAction {
  kKeepAlive,
  kAddToParticipants,
  kAddToWaitList,
  kRemoveFromParticipants,
  kRemoveFromWaitList,
  kMarkRendezvousComplete,
  kMarkRendezvousClosed,
  kSync,
  kErrorClosed,
  kErrorTimeout,
  kFinish,
};

// The operations' decisions; `now` is virtual time, `deadline` the op's.
RendezvousAction ExitOp(const RendezvousState& s, const NodeDesc& node, Time now, Time deadline);
RendezvousAction JoinOp(const RendezvousState& s, const NodeDesc& node,
                        const RendezvousSettings& settings, Time now, Time deadline);
RendezvousAction CloseOp(const RendezvousState& s, Time now, Time deadline);
RendezvousAction KeepAliveOp(const RendezvousState& s, const NodeDesc& node,
                             const RendezvousSettings& settings, Time now, Time deadline);

// _DistributedRendezvousOpExecutor: applies an action that changes the state.
void ApplyAction(RendezvousState* s, RendezvousAction action, const NodeDesc& node,
                 const RendezvousSettings& settings, Time now);
// _BackendRendezvousStateHolder._sanitize: drops nodes whose last heartbeat is
// older than keep_alive_interval * keep_alive_max_attempt. Returns how many.
int Sanitize(RendezvousState* s, const RendezvousSettings& settings, Time now);

}  // namespace ptsim::elastic
