// Agents meeting in the c10d rendezvous, in virtual time: ranks, the
// last-call and join timeouts, the wait list and membership changes that do
// not use a restart, and the store's host going away.
#include <catch2/catch.hpp>

#include "fakes/elastic/elastic_agent.hpp"
#include "tests/fakes/elastic/elastic_fixture.hpp"

namespace ptsim::elastic {
namespace {

using testing::AgentFixture;
using testing::ContainerRun;

std::vector<std::string> C10d(const std::string& nnodes, const std::string& conf = "",
                              int max_restarts = 0) {
  std::vector<std::string> argv = {"torchrun",
                                   "--nnodes=" + nnodes,
                                   "--rdzv_backend=c10d",
                                   "--rdzv_endpoint=127.0.0.1:29400",
                                   "--rdzv_id=job",
                                   "--monitor_interval=1",
                                   "--max_restarts=" + std::to_string(max_restarts)};
  if (!conf.empty()) argv.push_back("--rdzv_conf=" + conf);
  argv.push_back("--no_python");
  argv.push_back("/bin/w");
  return argv;
}

std::vector<std::string> Host(const std::string& name) {
  return {"HOSTNAME=" + name};
}

TEST_CASE_METHOD(AgentFixture, "c10d ranks follow the sorted hostnames, not the order of arrival") {
  ContainerRun& b = Start("ns/b/c", C10d("1:2"), Host("b-host"));
  loop.At(kRunStart + Seconds(2), [&] { Start("ns/a/c", C10d("1:2"), Host("a-host")); });
  RunUntil([this] { return workers.spawns().size() == 2; });
  CHECK(loop.Now() < kRunStart + Seconds(4));  // max_nodes reached: no last call
  ContainerRun& a = containers["ns/a/c"];
  const ProcessSpec& wa = workers.spawns()[SpawnsOf("ns/a/").front()];
  const ProcessSpec& wb = workers.spawns()[SpawnsOf("ns/b/").front()];
  CHECK(Env(wa, "GROUP_RANK") == "0");
  CHECK(Env(wa, "RANK") == "0");
  CHECK(Env(wb, "GROUP_RANK") == "1");
  CHECK(Env(wb, "RANK") == "1");
  CHECK(Env(wb, "WORLD_SIZE") == "2");
  CHECK(Env(wb, "GROUP_WORLD_SIZE") == "2");
  CHECK(Env(wb, "MASTER_ADDR") == "localhost");
  CHECK(Env(wb, "MASTER_PORT") == "41000");  // a free port picked by group rank 0
  CHECK(Env(wb, "TORCHELASTIC_USE_AGENT_STORE") == "False");
  CHECK(Env(wb, "TORCHELASTIC_RUN_ID") == "job");
  // Both think they are the store's host (a loopback endpoint); the second bind fails.
  CHECK(
      a.Printed("[c10d] The server socket has failed to bind to [::]:29400 (errno: 98 - Address "
                "already in use)."));
  CHECK(
      a.Printed("socket.cpp:462] [c10d] The server socket has failed to listen on any local "
                "network address."));
  CHECK_FALSE(b.Printed("socket.cpp"));
  workers.End(IdOf(0), ProcessExit::Exited(0));
  workers.End(IdOf(1), ProcessExit::Exited(0));
  RunUntil([&] { return a.exit && b.exit; });
  CHECK(a.exit->value == 0);
  CHECK(b.exit->value == 0);
}

TEST_CASE_METHOD(AgentFixture, "with fewer than max nodes the round waits out the last call") {
  Start("ns/a/c", C10d("2:3"), Host("a"));
  loop.At(kRunStart + Seconds(1), [&] { Start("ns/b/c", C10d("2:3"), Host("b")); });
  RunUntil([this] { return workers.spawns().size() == 2; });
  // min_nodes reached at ~1 s: complete at the first poll after 30 s more.
  CHECK(loop.Now() > kRunStart + Seconds(31));
  CHECK(loop.Now() < kRunStart + Seconds(32.5));
  CHECK(Env(workers.spawns()[0], "WORLD_SIZE") == "2");
}

TEST_CASE_METHOD(AgentFixture,
                 "a rendezvous that never gathers min nodes times out after join_timeout") {
  ContainerRun& c = Start("ns/a/c", C10d("2:2", "join_timeout=20"), Host("a"));
  RunUntilExit(c);
  CHECK(*c.exited_at > kRunStart + Seconds(20));
  CHECK(*c.exited_at < kRunStart + Seconds(21.5));
  CHECK(c.exit->value == 1);
  CHECK(c.lines.back() == "torch.distributed.elastic.rendezvous.api.RendezvousTimeoutError");
  CHECK(workers.spawns().empty());
}

TEST_CASE_METHOD(AgentFixture, "a node joining later restarts the others without using a restart") {
  ContainerRun& a = Start("ns/a/c", C10d("1:3", "last_call_timeout=1", 2), Host("a"));
  RunUntil([this] { return workers.spawns().size() == 1; });
  CHECK(Env(workers.spawns()[0], "WORLD_SIZE") == "1");
  loop.At(kRunStart + Seconds(10),
          [&] { Start("ns/b/c", C10d("1:3", "last_call_timeout=1", 2), Host("b")); });
  RunUntil([this] { return workers.spawns().size() == 3; });
  CHECK(loop.Now() < kRunStart + Seconds(15));
  // a's first worker was stopped, not failed; both new workers see the new world.
  REQUIRE(workers.signals().size() == 1);
  CHECK(workers.signals()[0].id == IdOf(0));
  CHECK(workers.signals()[0].signal == SIGTERM);
  CHECK(a.Printed("Sending process 100 closing signal SIGTERM"));
  CHECK_FALSE(a.Printed("failed (exitcode"));
  for (std::size_t i : {std::size_t{1}, std::size_t{2}}) {
    CHECK(Env(workers.spawns()[i], "WORLD_SIZE") == "2");
    CHECK(Env(workers.spawns()[i], "TORCHELASTIC_RESTART_COUNT") == "0");
  }
  const ElasticAgent* agent_a = Runner().agent(a.id);
  CHECK(agent_a->membership_restarts() == 1);
  CHECK(agent_a->restart_count() == 0);
  CHECK(agent_a->attempts() == 2);
  CHECK(Runner().agent(containers["ns/b/c"].id)->membership_restarts() == 0);
}

TEST_CASE_METHOD(AgentFixture,
                 "a failure on one node restarts every node, using a restart only there") {
  ContainerRun& a = Start("ns/a/c", C10d("2:2", "", 1), Host("a"));
  ContainerRun& b = Start("ns/b/c", C10d("2:2", "", 1), Host("b"));
  RunUntil([this] { return workers.spawns().size() == 2; });
  const std::size_t a0 = SpawnsOf("ns/a/").front();
  workers.End(IdOf(a0), ProcessExit::Exited(1));
  RunUntil([this] { return workers.spawns().size() == 4; });
  const ProcessSpec& a1 = workers.spawns()[SpawnsOf("ns/a/").back()];
  const ProcessSpec& b1 = workers.spawns()[SpawnsOf("ns/b/").back()];
  CHECK(Env(a1, "TORCHELASTIC_RESTART_COUNT") == "1");
  CHECK(Env(b1, "TORCHELASTIC_RESTART_COUNT") == "0");
  CHECK(Runner().agent(b.id)->membership_restarts() == 1);
  CHECK(a.Printed("failed (exitcode: 1) local_rank: 0"));
  CHECK(b.Printed("closing signal SIGTERM"));
  CHECK(Env(a1, "GROUP_WORLD_SIZE") == "2");
}

TEST_CASE_METHOD(AgentFixture,
                 "a dead node is dropped after 15 s without heartbeats and the others re-form") {
  ContainerRun& a = Start("ns/a/c", C10d("1:3", "", 1), Host("a"));  // a binds first: the host
  ContainerRun& b = Start("ns/b/c", C10d("1:3", "", 1), Host("b"));
  RunUntil([this] { return workers.spawns().size() == 2; });
  Runner().Signal(b.id, SIGKILL);
  const Time killed = loop.Now();
  workers.End(IdOf(SpawnsOf("ns/a/").front()), ProcessExit::Exited(1));  // its peer vanished
  RunUntil([this] { return workers.spawns().size() == 3; });
  // b stays a participant until its last heartbeat is 15 s old; then a's new
  // round opens, and completes alone after the last call.
  CHECK(loop.Now() > killed + Seconds(40));
  CHECK(loop.Now() < killed + Seconds(50));
  const ProcessSpec& again = workers.spawns().back();
  CHECK(again.name == "ns/a/c/worker-0");
  CHECK(Env(again, "WORLD_SIZE") == "1");
  CHECK(Env(again, "TORCHELASTIC_RESTART_COUNT") == "1");
  CHECK_FALSE(a.exit);
}

TEST_CASE_METHOD(AgentFixture, "when the store's host dies the other agents lose the rendezvous") {
  ContainerRun& a = Start("ns/a/c", C10d("2:2"), Host("a"));
  ContainerRun& b = Start("ns/b/c", C10d("2:2"), Host("b"));
  RunUntil([this] { return workers.spawns().size() == 2; });
  RunFor(3);
  Runner().Signal(a.id, SIGKILL);  // a hosts the store: it was the first to bind
  RunUntil([&] { return a.exit && b.exit; });
  CHECK(a.exit->kind == ProcessExit::Kind::kSignaled);
  CHECK(b.exit->value == 1);
  CHECK(
      b.Printed("WARNING:torch.distributed.elastic.rendezvous.dynamic_rendezvous:The node "
                "'b_1_0' has failed to shutdown the rendezvous 'job' due to an error of type "
                "RendezvousConnectionError."));
  CHECK(b.lines.back() ==
        "torch.distributed.elastic.rendezvous.api.RendezvousConnectionError: The connection to the "
        "C10d store has failed. See inner exception for details.");
}

TEST_CASE_METHOD(
    AgentFixture,
    "an agent that finishes first waits out the exit barrier, then closes the rendezvous") {
  ContainerRun& a = Start("ns/a/c", C10d("1:3"), Host("a"));
  ContainerRun& b = Start("ns/b/c", C10d("1:3"), Host("b"));
  RunUntil([this] { return workers.spawns().size() == 2; });
  const Time started = loop.Now();
  workers.End(IdOf(SpawnsOf("ns/b/").front()), ProcessExit::Exited(0));  // a's worker runs on
  RunUntilExit(b);
  CHECK(b.exit->value == 0);
  CHECK(*b.exited_at > started + Seconds(300));
  CHECK(*b.exited_at <= started + Seconds(301));
  CHECK(
      b.Printed("ERROR:torch.distributed.elastic.agent.server.api:Error waiting on exit barrier. "
                "Elapsed: 300.0 seconds"));
  CHECK(b.Printed("RuntimeError: Socket Timeout"));
  // The rendezvous is closed for good: a newcomer is refused, a keeps running.
  ContainerRun& late = Start("ns/z/c", C10d("1:3"), Host("z"));
  RunUntilExit(late);
  CHECK(late.exit->value == 1);
  CHECK(late.lines.back() == "torch.distributed.elastic.rendezvous.api.RendezvousClosedError");
  CHECK_FALSE(a.exit);
}

TEST_CASE_METHOD(AgentFixture,
                 "a client gives up after read_timeout when no agent hosts the store") {
  ContainerRun& c = Start("ns/a/c",
                          {"torchrun", "--rdzv_backend=c10d", "--rdzv_endpoint=10.9.9.9:29400",
                           "--rdzv_conf=read_timeout=7", "--no_python", "/bin/w"},
                          Host("a"));
  RunUntilExit(c);
  CHECK(*c.exited_at == kRunStart + Seconds(7));
  CHECK(c.lines.back() ==
        "torch.distributed.elastic.rendezvous.api.RendezvousConnectionError: The connection to the "
        "C10d store has failed. See inner exception for details.");
}

}  // namespace
}  // namespace ptsim::elastic
