#include "fakes/elastic/dynamic_rendezvous.hpp"

#include <fmt/format.h>

#include <vector>

namespace ptsim::elastic {

namespace {

// _should_keep_alive.
bool ShouldKeepAlive(const RendezvousState& s, const NodeDesc& node,
                     const RendezvousSettings& settings, Time now) {
  auto it = s.last_heartbeats.find(node);
  if (it == s.last_heartbeats.end()) return false;
  return it->second <= now - settings.keep_alive_interval;
}

// _remove_participant_epilogue.
void RemoveParticipantEpilogue(RendezvousState* s, const RendezvousSettings& settings) {
  if (s->complete) {
    // No participants left: move to the next round.
    if (s->participants.empty()) {
      s->complete = false;
      s->round += 1;
    }
  } else if (static_cast<int>(s->participants.size()) < settings.min_nodes) {
    s->deadline.reset();
  }
}

void MarkComplete(RendezvousState* s) {
  s->complete = true;
  s->deadline.reset();
  int rank = 0;
  for (auto& [node, r] : s->participants)  // std::map iterates sorted
    r = rank++;
}

}  // namespace

std::string NodeDesc::Repr() const {
  return fmt::format("{}_{}_{}", fqdn, pid, local_id);
}

RendezvousAction ExitOp(const RendezvousState& s, const NodeDesc& node, Time now, Time deadline) {
  // _RendezvousExitOp.
  if (s.participants.count(node)) {
    if (now > deadline) return RendezvousAction::kErrorTimeout;
    return RendezvousAction::kRemoveFromParticipants;
  }
  return RendezvousAction::kFinish;
}

RendezvousAction JoinOp(const RendezvousState& s, const NodeDesc& node,
                        const RendezvousSettings& settings, Time now, Time deadline) {
  // _RendezvousJoinOp.__call__, one branch per rule.
  // A closed rendezvous accepts no new nodes.
  if (s.closed) return RendezvousAction::kErrorClosed;
  const bool is_participant = s.participants.count(node) > 0;
  // Part of a complete rendezvous: done.
  if (s.complete && is_participant) return RendezvousAction::kFinish;
  if (now > deadline) {
    // Within the 5 s rollback period, undo our membership.
    const Duration rollback_period = std::chrono::seconds(5);
    if (now <= deadline + rollback_period) {
      if (is_participant) return RendezvousAction::kRemoveFromParticipants;
      if (s.wait_list.count(node)) return RendezvousAction::kRemoveFromWaitList;
    }
    return RendezvousAction::kErrorTimeout;
  }
  if (s.complete) {
    // Not part of it: with room left, wait for the next round.
    if (static_cast<int>(s.participants.size()) < settings.max_nodes && !s.wait_list.count(node)) {
      return RendezvousAction::kAddToWaitList;
    }
  } else if (is_participant) {
    // Enough participants and past the last-call deadline: complete it.
    if (static_cast<int>(s.participants.size()) >= settings.min_nodes && s.deadline &&
        *s.deadline < now) {
      return RendezvousAction::kMarkRendezvousComplete;
    }
  } else {
    return RendezvousAction::kAddToParticipants;
  }
  if (ShouldKeepAlive(s, node, settings, now)) return RendezvousAction::kKeepAlive;
  return RendezvousAction::kSync;
}

RendezvousAction CloseOp(const RendezvousState& s, Time now, Time deadline) {
  if (s.closed) return RendezvousAction::kFinish;
  if (now > deadline) return RendezvousAction::kErrorTimeout;
  return RendezvousAction::kMarkRendezvousClosed;
}

RendezvousAction KeepAliveOp(const RendezvousState& s, const NodeDesc& node,
                             const RendezvousSettings& settings, Time now, Time deadline) {
  if (ShouldKeepAlive(s, node, settings, now)) {
    if (now > deadline) return RendezvousAction::kErrorTimeout;
    return RendezvousAction::kKeepAlive;
  }
  return RendezvousAction::kFinish;
}

void ApplyAction(RendezvousState* s, RendezvousAction action, const NodeDesc& node,
                 const RendezvousSettings& settings, Time now) {
  switch (action) {
    case RendezvousAction::kKeepAlive:
      s->last_heartbeats[node] = now;
      break;
    case RendezvousAction::kAddToParticipants:
      // _add_to_participants: ranks are set when the round completes.
      s->wait_list.erase(node);
      s->participants[node] = 0;
      s->last_heartbeats[node] = now;
      if (static_cast<int>(s->participants.size()) == settings.min_nodes) {
        s->deadline = now + settings.timeout.last_call;
      }
      if (static_cast<int>(s->participants.size()) == settings.max_nodes) MarkComplete(s);
      break;
    case RendezvousAction::kAddToWaitList:
      s->wait_list.insert(node);
      s->last_heartbeats[node] = now;
      break;
    case RendezvousAction::kRemoveFromParticipants:
      s->participants.erase(node);
      s->last_heartbeats.erase(node);
      RemoveParticipantEpilogue(s, settings);
      break;
    case RendezvousAction::kRemoveFromWaitList:
      s->wait_list.erase(node);
      s->last_heartbeats.erase(node);
      break;
    case RendezvousAction::kMarkRendezvousComplete:
      MarkComplete(s);
      break;
    case RendezvousAction::kMarkRendezvousClosed:
      s->closed = true;
      break;
    case RendezvousAction::kSync:
    case RendezvousAction::kErrorClosed:
    case RendezvousAction::kErrorTimeout:
    case RendezvousAction::kFinish:
      break;
  }
}

int Sanitize(RendezvousState* s, const RendezvousSettings& settings, Time now) {
  const Time expire = now - settings.keep_alive_interval * settings.keep_alive_max_attempt;
  std::vector<NodeDesc> dead;
  for (const auto& [node, beat] : s->last_heartbeats)
    if (beat < expire) dead.push_back(node);
  bool participant_removed = false;
  for (const auto& node : dead) {
    s->last_heartbeats.erase(node);
    participant_removed = s->participants.erase(node) > 0 || participant_removed;
    s->wait_list.erase(node);
  }
  if (participant_removed) RemoveParticipantEpilogue(s, settings);
  return static_cast<int>(dead.size());
}

}  // namespace ptsim::elastic
