// The c10d rendezvous's decisions (dynamic_rendezvous.py), rule by rule, on
// the shared state and in virtual time.
#include "fakes/elastic/dynamic_rendezvous.hpp"

#include <catch2/catch.hpp>

namespace ptsim::elastic {
namespace {

struct Round {
  RendezvousSettings settings;
  RendezvousState state;
  Time deadline = kRunStart + std::chrono::seconds(600);

  Round(int min_nodes, int max_nodes) {
    settings.run_id = "job";
    settings.min_nodes = min_nodes;
    settings.max_nodes = max_nodes;
  }
  // Runs the join op for `node` at `now` until it would wait (SYNC) or ends.
  RendezvousAction Join(const NodeDesc& node, Time now) {
    for (;;) {
      auto a = JoinOp(state, node, settings, now, deadline);
      if (a == RendezvousAction::kSync || a == RendezvousAction::kFinish ||
          a == RendezvousAction::kErrorClosed || a == RendezvousAction::kErrorTimeout) {
        return a;
      }
      ApplyAction(&state, a, node, settings, now);
    }
  }
};

NodeDesc Node(const std::string& host) {
  return NodeDesc{host, 1, 0, 0};
}
Time At(double seconds) {
  return kRunStart + Seconds(seconds);
}

TEST_CASE("a round completes at once when max_nodes nodes have joined") {
  Round r(1, 2);
  CHECK(r.Join(Node("b"), At(0)) == RendezvousAction::kSync);
  CHECK(r.state.deadline == At(30));  // min_nodes reached: the last call starts
  CHECK(r.Join(Node("a"), At(1)) == RendezvousAction::kFinish);
  CHECK(r.state.complete);
  // Ranks follow the sorted node descriptors, not the order of arrival.
  CHECK(r.state.participants.at(Node("a")) == 0);
  CHECK(r.state.participants.at(Node("b")) == 1);
}

TEST_CASE("with only min_nodes, a round completes at the first poll after the last call") {
  Round r(2, 4);
  r.Join(Node("a"), At(0));
  r.Join(Node("b"), At(0.5));
  CHECK(r.state.deadline == At(30.5));
  CHECK(r.Join(Node("a"), At(30.5)) == RendezvousAction::kSync);  // not strictly past yet
  CHECK(r.Join(Node("a"), At(31)) == RendezvousAction::kFinish);
  CHECK(r.state.participants.size() == 2);
  CHECK(r.Join(Node("b"), At(31.5)) == RendezvousAction::kFinish);
}

TEST_CASE("a node arriving after completion waits in the wait list when there is room") {
  Round r(1, 3);
  r.Join(Node("a"), At(0));
  r.Join(Node("a"), At(31));
  REQUIRE(r.state.complete);
  CHECK(r.Join(Node("c"), At(40)) == RendezvousAction::kSync);
  CHECK(r.state.wait_list.count(Node("c")) == 1);
  // A full round has no room: a latecomer just waits without joining the list.
  Round full(1, 1);
  full.Join(Node("a"), At(0));
  CHECK(full.Join(Node("z"), At(1)) == RendezvousAction::kSync);
  CHECK(full.state.wait_list.empty());
}

TEST_CASE("when every participant leaves a complete round the next round opens for the waiters") {
  Round r(1, 2);
  r.Join(Node("a"), At(0));
  r.Join(Node("a"), At(31));
  r.Join(Node("b"), At(32));  // wait list
  auto exit = ExitOp(r.state, Node("a"), At(33), r.deadline);
  CHECK(exit == RendezvousAction::kRemoveFromParticipants);
  ApplyAction(&r.state, exit, Node("a"), r.settings, At(33));
  CHECK(r.state.round == 1);
  CHECK_FALSE(r.state.complete);
  CHECK(r.Join(Node("b"), At(33)) == RendezvousAction::kSync);
  CHECK(r.Join(Node("a"), At(33)) == RendezvousAction::kFinish);
  CHECK(r.state.wait_list.empty());
}

TEST_CASE("past the join deadline a node first undoes its membership, then times out") {
  Round r(2, 2);
  r.deadline = At(10);
  r.Join(Node("a"), At(0));
  CHECK(JoinOp(r.state, Node("a"), r.settings, At(11), r.deadline) ==
        RendezvousAction::kRemoveFromParticipants);
  CHECK(r.Join(Node("a"), At(11)) == RendezvousAction::kErrorTimeout);
  CHECK(r.state.participants.empty());
  CHECK(JoinOp(r.state, Node("a"), r.settings, At(16), r.deadline) ==
        RendezvousAction::kErrorTimeout);
}

TEST_CASE("a closed rendezvous admits nobody") {
  Round r(1, 2);
  ApplyAction(&r.state, CloseOp(r.state, At(0), At(30)), Node("a"), r.settings, At(0));
  CHECK(r.state.closed);
  CHECK(CloseOp(r.state, At(1), At(30)) == RendezvousAction::kFinish);
  CHECK(r.Join(Node("b"), At(1)) == RendezvousAction::kErrorClosed);
}

TEST_CASE("nodes without a heartbeat for 15 seconds are dropped when the state is synced") {
  Round r(1, 2);
  r.Join(Node("a"), At(0));
  r.Join(Node("b"), At(0));
  REQUIRE(r.state.complete);
  CHECK(KeepAliveOp(r.state, Node("a"), r.settings, At(5), At(10)) == RendezvousAction::kKeepAlive);
  ApplyAction(&r.state, RendezvousAction::kKeepAlive, Node("a"), r.settings, At(5));
  CHECK(Sanitize(&r.state, r.settings, At(15)) == 0);
  CHECK(Sanitize(&r.state, r.settings, At(15.5)) == 1);  // b's beat at 0 is now too old
  CHECK(r.state.participants.count(Node("b")) == 0);
  CHECK(r.state.complete);  // a remains, the round stays complete
}

}  // namespace
}  // namespace ptsim::elastic
