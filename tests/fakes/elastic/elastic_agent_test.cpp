// The emulated agent with the static rendezvous, its workers played by a
// RecordingProcessRunner in virtual time: the environment it gives them, the
// monitor loop, restarts, running out of restarts, error files, signals.
#include "fakes/elastic/elastic_agent.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fakes/process/scripted_process_runner.hpp"
#include "sim/model/container_script.hpp"
#include "tests/fakes/elastic/elastic_fixture.hpp"

namespace ptsim::elastic {
namespace {

using testing::AgentFixture;
using testing::ContainerRun;

const std::vector<std::string> kTwoWorkers = {"torchrun",
                                              "--nproc_per_node=2",
                                              "--max_restarts=1",
                                              "--monitor_interval=0.5",
                                              "--no_python",
                                              "/bin/w",
                                              "a"};
const std::vector<std::string> kEnv = {"PATH=/bin", "HOSTNAME=pod-0", "PET_X=1"};

TEST_CASE_METHOD(AgentFixture, "workers get exactly torchrun's environment and the script's argv") {
  Start("ns/pod-0/c", kTwoWorkers, kEnv);
  RunFor(1);
  REQUIRE(workers.spawns().size() == 2);
  const ProcessSpec& w1 = workers.spawns()[1];
  CHECK(w1.argv == std::vector<std::string>{"/bin/w", "a"});
  CHECK(w1.name == "ns/pod-0/c/worker-1");
  const std::string error_file = Env(w1, "TORCHELASTIC_ERROR_FILE");
  CHECK(error_file.rfind(dir.path() + "/torchelastic_", 0) == 0);
  CHECK(error_file.find("/none_") != std::string::npos);
  CHECK(error_file.substr(error_file.size() - 23) == "/attempt_0/1/error.json");
  CHECK(w1.env == std::vector<std::string>{"PATH=/bin",
                                           "HOSTNAME=pod-0",
                                           "PET_X=1",
                                           "OMP_NUM_THREADS=1",
                                           "LOCAL_RANK=1",
                                           "RANK=1",
                                           "GROUP_RANK=0",
                                           "ROLE_RANK=1",
                                           "ROLE_NAME=default",
                                           "LOCAL_WORLD_SIZE=2",
                                           "WORLD_SIZE=2",
                                           "GROUP_WORLD_SIZE=1",
                                           "ROLE_WORLD_SIZE=2",
                                           "MASTER_ADDR=127.0.0.1",
                                           "MASTER_PORT=29500",
                                           "TORCHELASTIC_RESTART_COUNT=0",
                                           "TORCHELASTIC_MAX_RESTARTS=1",
                                           "TORCHELASTIC_RUN_ID=none",
                                           "TORCHELASTIC_USE_AGENT_STORE=True",
                                           "NCCL_ASYNC_ERROR_HANDLING=1",
                                           "TORCHELASTIC_ERROR_FILE=" + error_file});
  CHECK(Env(workers.spawns()[0], "RANK") == "0");
  // The OMP warning is the agent's only output so far.
  CHECK(containers["ns/pod-0/c"].lines.size() == 4);
  CHECK(containers["ns/pod-0/c"].lines[0] == "WARNING:torch.distributed.run:");
}

TEST_CASE_METHOD(AgentFixture, "torch 2 names the NCCL variable TORCH_NCCL_ASYNC_ERROR_HANDLING") {
  options.agent.profile = TorchrunProfile::For(TorchVersion::kTorch2);
  Start("ns/p/c", {"torchrun", "--no-python", "/bin/w"},
        {"TORCH_NCCL_ASYNC_ERROR_HANDLING=0", "OMP_NUM_THREADS=3"});
  RunFor(1);
  REQUIRE(workers.spawns().size() == 1);
  CHECK(Env(workers.spawns()[0], "TORCH_NCCL_ASYNC_ERROR_HANDLING") == "0");
  CHECK(Env(workers.spawns()[0], "NCCL_ASYNC_ERROR_HANDLING").empty());
  CHECK(Env(workers.spawns()[0], "OMP_NUM_THREADS") == "3");
}

TEST_CASE_METHOD(AgentFixture,
                 "a failed worker stops the local group and restarts it with the restart count") {
  ContainerRun& c = Start("ns/pod-0/c", kTwoWorkers, kEnv);
  loop.At(kRunStart + Seconds(1.2), [this] { workers.End(IdOf(1), ProcessExit::Exited(7)); });
  RunUntil([this] { return workers.spawns().size() == 4; });
  // Detected at the next tick (1.5 s), the survivor got SIGTERM, then a new attempt.
  REQUIRE(workers.signals().size() == 1);
  CHECK(workers.signals()[0].id == IdOf(0));
  CHECK(workers.signals()[0].signal == SIGTERM);
  CHECK(workers.signals()[0].at == kRunStart + Seconds(1.5));
  CHECK(
      c.Printed("WARNING:torch.distributed.elastic.multiprocessing.api:Sending process 100 closing "
                "signal SIGTERM"));
  CHECK(
      c.Printed("ERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: 7) "
                "local_rank: 1 (pid: 101) of binary: /bin/w"));
  CHECK(Env(workers.spawns()[2], "TORCHELASTIC_RESTART_COUNT") == "1");
  CHECK(Env(workers.spawns()[3], "TORCHELASTIC_ERROR_FILE").find("/attempt_1/1/error.json") !=
        std::string::npos);
  const ElasticAgent* agent = Runner().agent(c.id);
  CHECK(agent->attempts() == 2);
  CHECK(agent->restart_count() == 1);
  // The second attempt succeeds: torchrun exits 0.
  workers.End(IdOf(2), ProcessExit::Exited(0));
  workers.End(IdOf(3), ProcessExit::Exited(0));
  RunUntilExit(c);
  CHECK(c.exit->kind == ProcessExit::Kind::kExited);
  CHECK(c.exit->value == 0);
}

TEST_CASE_METHOD(AgentFixture, "when restarts run out torchrun exits 1 and names the root cause") {
  ContainerRun& c = Start("ns/pod-0/c",
                          {"torchrun", "--nproc_per_node=2", "--max_restarts=2",
                           "--monitor_interval=1", "--no_python", "/bin/w"},
                          kEnv);
  // Rank 1 exits 5 on every attempt, soon after it starts.
  std::size_t handled = 0;
  RunUntil([&] {
    while (handled < workers.spawns().size()) {
      if (handled % 2 == 1) workers.End(IdOf(handled), ProcessExit::Exited(5));
      ++handled;
    }
    return c.exit.has_value();
  });
  REQUIRE(c.exit);
  CHECK(c.exit->value == 1);
  CHECK(workers.spawns().size() == 6);
  CHECK(Env(workers.spawns()[5], "TORCHELASTIC_RESTART_COUNT") == "2");
  CHECK(Runner().agent(c.id)->attempts() == 3);
  const std::string out = c.Output();
  CHECK(out.find("torch.distributed.elastic.multiprocessing.errors.ChildFailedError: \n"
                 "============================================================\n"
                 "/bin/w FAILED\n"
                 "------------------------------------------------------------\n"
                 "Failures:\n"
                 "  <NO_OTHER_FAILURES>\n"
                 "------------------------------------------------------------\n"
                 "Root Cause (first observed failure):\n"
                 "[0]:\n") != std::string::npos);
  CHECK(c.Printed("  host      : pod-0"));
  CHECK(c.Printed("  rank      : 1 (local_rank: 1)"));
  CHECK(c.Printed("  exitcode  : 5 (pid: 105)"));
  CHECK(c.Printed("  error_file: <N/A>"));
  CHECK(
      c.Printed("  traceback : To enable traceback see: "
                "https://pytorch.org/docs/stable/elastic/errors.html"));
  CHECK(c.lines.back() == "============================================================");
}

TEST_CASE_METHOD(AgentFixture, "a worker killed by a signal is reported with its signal") {
  ContainerRun& c = Start("ns/p/c", {"torchrun", "--monitor_interval=1", "--no_python", "/bin/w"});
  loop.At(kRunStart + Seconds(2.5),
          [this] { workers.End(IdOf(0), ProcessExit::Signaled(SIGKILL)); });
  RunUntilExit(c);
  CHECK(c.exit->value == 1);
  CHECK(c.Printed("failed (exitcode: -9) local_rank: 0 (pid: 100) of binary: /bin/w"));
  CHECK(c.Printed("  exitcode  : -9 (pid: 100)"));
  CHECK(c.Printed("  traceback : Signal 9 (SIGKILL) received by PID 100"));
  CHECK(c.Printed("  time      : 1970-01-01_00:00:03"));
}

TEST_CASE_METHOD(AgentFixture,
                 "a worker's error file supplies the root cause and reaches torchrun's") {
  const std::string parent = dir.path() + "/parent.json";
  ContainerRun& c = Start(
      "ns/p/c", {"torchrun", "--nproc_per_node=2", "--monitor_interval=1", "--no_python", "/bin/w"},
      {"TORCHELASTIC_ERROR_FILE=" + parent, "OMP_NUM_THREADS=1"});
  RunFor(0.5);
  REQUIRE(workers.spawns().size() == 2);
  // Both fail in the same poll; rank 1's error file says it failed first.
  for (int rank : {0, 1}) {
    nlohmann::json data = {
        {"message",
         {{"message", "ValueError: bad " + std::to_string(rank)},
          {"extraInfo",
           {{"py_callstack",
             "Traceback (most recent call last):\nValueError: bad " + std::to_string(rank)},
            {"timestamp", rank == 1 ? "100" : "200"}}}}}};
    std::ofstream(Env(workers.spawns()[static_cast<std::size_t>(rank)], "TORCHELASTIC_ERROR_FILE"))
        << data.dump();
    workers.End(IdOf(static_cast<std::size_t>(rank)), ProcessExit::Exited(3));
  }
  RunUntilExit(c);
  const std::string out = c.Output();
  CHECK(out.find("Failures:\n[0]:\n  time      : 1970-01-01_00:03:20") != std::string::npos);
  CHECK(out.find("Root Cause (first observed failure):\n[1]:\n  time      : 1970-01-01_00:01:40\n"
                 "  host      : p\n  rank      : 1 (local_rank: 1)") != std::string::npos);
  CHECK(out.find("  traceback : Traceback (most recent call last):\n  ValueError: bad 1") !=
        std::string::npos);
  CHECK(c.Printed("failed (exitcode: 3) local_rank: 1 (pid: 101)"));
  std::ifstream in(parent);
  auto copied = nlohmann::json::parse(in);
  CHECK(copied["message"]["message"] == "ValueError: bad 1");
  CHECK(copied["message"]["errorCode"] == 3);
}

TEST_CASE_METHOD(AgentFixture, "SIGTERM before the workers start kills torchrun outright") {
  ContainerRun& c = Start("ns/p/c", {"torchrun", "--nnodes=2", "--no_python", "/bin/w"});
  RunFor(5);  // node rank 0 waits for the second node
  CHECK(workers.spawns().empty());
  Runner().Signal(c.id, SIGTERM);
  RunUntilExit(c);
  CHECK(c.exit->kind == ProcessExit::Kind::kSignaled);
  CHECK(c.exit->value == SIGTERM);
}

TEST_CASE_METHOD(AgentFixture, "SIGTERM to a running torchrun shuts the workers down and exits 1") {
  ContainerRun& c = Start("ns/p/c", kTwoWorkers, {"OMP_NUM_THREADS=1"});
  RunFor(3);
  Runner().Signal(c.id, SIGTERM);
  RunUntilExit(c);
  CHECK(c.exit->value == 1);
  CHECK(c.lines[0] ==
        "WARNING:torch.distributed.elastic.agent.server.api:Received 15 death signal, shutting "
        "down workers");
  CHECK(c.lines[1] ==
        "WARNING:torch.distributed.elastic.multiprocessing.api:Sending process 100 closing signal "
        "SIGTERM");
  CHECK(c.lines.back() ==
        "torch.distributed.elastic.multiprocessing.api.SignalException: Process 1 got signal: 15");
  REQUIRE(workers.signals().size() == 2);
  CHECK(workers.signals()[1].signal == SIGTERM);
  CHECK(*c.exited_at == kRunStart + Seconds(3));
}

TEST_CASE_METHOD(AgentFixture,
                 "workers that ignore SIGTERM are killed after the shutdown timeout") {
  workers.set_signals_end_processes(false);
  ContainerRun& c = Start(
      "ns/p/c", {"torchrun", "--monitor_interval=1", "--nproc_per_node=2", "--no_python", "/bin/w"},
      {"OMP_NUM_THREADS=1"});
  loop.At(kRunStart + Seconds(1.5), [this] { workers.End(IdOf(1), ProcessExit::Exited(1)); });
  RunUntil([this] { return workers.signals().size() == 2; });
  CHECK(workers.signals()[0].signal == SIGTERM);
  CHECK(workers.signals()[0].at == kRunStart + Seconds(2));
  CHECK(workers.signals()[1].signal == SIGKILL);
  CHECK(workers.signals()[1].at == kRunStart + Seconds(32));
  CHECK(c.Printed("Unable to shutdown process 100 via 15, forcefully exitting via 9"));
  workers.End(IdOf(0), ProcessExit::Signaled(SIGKILL));
  RunUntilExit(c);
  CHECK(c.exit->value == 1);
}

TEST_CASE_METHOD(AgentFixture, "a static multi-node restart does not wait for the other nodes") {
  auto argv = [](int rank) {
    return std::vector<std::string>{"torchrun",
                                    "--nnodes=2",
                                    "--node_rank=" + std::to_string(rank),
                                    "--nproc_per_node=2",
                                    "--max_restarts=1",
                                    "--monitor_interval=1",
                                    "--master_addr=127.0.0.1",
                                    "--master_port=29610",
                                    "--no_python",
                                    "/bin/w"};
  };
  Start("ns/node-0/c", argv(0), {"OMP_NUM_THREADS=1"});
  loop.At(kRunStart + Seconds(4), [&] { Start("ns/node-1/c", argv(1), {"OMP_NUM_THREADS=1"}); });
  RunUntil([this] { return workers.spawns().size() == 4; });
  CHECK(loop.Now() == kRunStart + Seconds(4));  // node 0 waited for node 1's store connection
  std::map<std::string, const ProcessSpec*> spec_of;
  for (const auto& s : workers.spawns())
    spec_of[s.name] = &s;
  CHECK(Env(*spec_of["ns/node-0/c/worker-1"], "RANK") == "1");
  CHECK(Env(*spec_of["ns/node-1/c/worker-0"], "RANK") == "2");
  CHECK(Env(*spec_of["ns/node-1/c/worker-1"], "WORLD_SIZE") == "4");
  CHECK(Env(*spec_of["ns/node-1/c/worker-1"], "GROUP_RANK") == "1");
  CHECK(Env(*spec_of["ns/node-0/c/worker-0"], "GROUP_RANK") == "0");
  const std::vector<std::size_t> node0 = SpawnsOf("ns/node-0/");
  // Node 1's rank 3 fails: node 1 alone restarts, at once, with the same ranks.
  const std::size_t failing = SpawnsOf("ns/node-1/c/worker-1").front();
  workers.End(IdOf(failing), ProcessExit::Exited(1));
  RunUntil([this] { return workers.spawns().size() == 6; });
  CHECK(workers.spawns()[5].name == "ns/node-1/c/worker-1");
  CHECK(Env(workers.spawns()[5], "RANK") == "3");
  CHECK(Env(workers.spawns()[5], "TORCHELASTIC_RESTART_COUNT") == "1");
  for (const auto& sig : workers.signals()) {
    CHECK(sig.id != IdOf(node0[0]));
    CHECK(sig.id != IdOf(node0[1]));
  }
  CHECK(Runner().agent(containers["ns/node-0/c"].id)->attempts() == 1);
}

TEST_CASE_METHOD(AgentFixture, "a static master gives up when the other nodes never connect") {
  ContainerRun& c = Start(
      "ns/p/c", {"torchrun", "--nnodes=3", "--rdzv_conf=timeout=10", "--no_python", "/bin/w"});
  RunUntilExit(c);
  CHECK(*c.exited_at == kRunStart + Seconds(10));
  CHECK(c.exit->value == 1);
  CHECK(c.lines.back() ==
        "RuntimeError: Timed out after 10 seconds waiting for clients. 1/3 clients joined.");
}

TEST_CASE_METHOD(AgentFixture,
                 "configuration errors print torch's output and exit with its status") {
  ContainerRun& bad = Start("ns/a/c", {"torchrun", "--nnodes=a:b:c", "x.py"});
  ContainerRun& usage = Start("ns/b/c", {"torchrun", "--max_restarts", "x", "x.py"});
  RunUntil([&] { return bad.exit && usage.exit; });
  CHECK(bad.exit->value == 1);
  CHECK(bad.lines.front() == "Traceback (most recent call last):");
  CHECK(bad.lines.back() == "RuntimeError: nnodes=a:b:c is not in \"MIN:MAX\" format");
  CHECK(usage.exit->value == 2);
  CHECK(usage.lines.back() == "torchrun: error: argument --max_restarts: invalid int value: 'x'");
  CHECK(workers.spawns().empty());
  bool traced = false;
  for (const auto& e : trace.entries())
    traced = traced || e.text.find("ns/a/c: torchrun configuration error: --nnodes=\"a:b:c\"") !=
                           std::string::npos;
  CHECK(traced);
}

TEST_CASE_METHOD(AgentFixture, "a worker that cannot be started fails the agent like Popen") {
  workers.FailSpawnsOf("/bin/missing", "not found");
  ContainerRun& c = Start("ns/p/c", {"torchrun", "--no_python", "/bin/missing"});
  RunUntilExit(c);
  CHECK(c.exit->value == 1);
  CHECK(c.lines.back() == "FileNotFoundError: [Errno 2] No such file or directory: '/bin/missing'");
}

TEST_CASE_METHOD(AgentFixture, "a frozen agent skips its ticks and catches up when thawed") {
  ContainerRun& c = Start("ns/p/c", {"torchrun", "--monitor_interval=1", "--no_python", "/bin/w"});
  RunFor(1.5);
  Runner().Signal(c.id, SIGSTOP);
  workers.End(IdOf(0), ProcessExit::Exited(0));
  RunFor(10);
  CHECK_FALSE(c.exit);
  const Time thawed = loop.Now();
  Runner().Signal(c.id, SIGCONT);
  RunUntilExit(c);
  CHECK(c.exit->value == 0);
  CHECK(*c.exited_at == thawed);
}

TEST_CASE("scripted workers play their container's script, one incarnation per worker group") {
  ManualWallClock wall;
  EventLoop loop(wall);
  RendezvousRegistry registry(loop);
  ScriptedProcessRunner scripted(loop);
  ElasticAgentRunner::Options o;
  o.policy = ElasticPolicy::kEmulate;
  testing::TempDir dir;
  o.agent.log_root = dir.path();
  ElasticAgentRunner runner(loop, scripted, registry, Random(1), o, {});
  auto script = ParseContainerScript("run 5s, exit 1 | run 5s", {}, "");
  REQUIRE(script.ok());
  ProcessSpec spec;
  spec.name = "ns/p/c";
  spec.argv = {"torchrun", "--nproc_per_node=2", "--max_restarts=1", "--monitor_interval=1",
               "train.py"};
  spec.env = {"OMP_NUM_THREADS=1"};
  spec.script = &script.value();
  std::optional<ProcessExit> exit;
  std::vector<std::string> lines;
  REQUIRE(runner
              .Spawn(spec, {[&](std::string_view l) { lines.emplace_back(l); },
                            [&](const ProcessExit& e) { exit = e; }})
              .ok());
  loop.Run(kRunStart + Seconds(100), [&] { return exit.has_value(); });
  REQUIRE(exit);
  CHECK(exit->value == 0);
  CHECK(loop.Now() >= kRunStart + Seconds(10));
  CHECK(loop.Now() <= kRunStart + Seconds(11));
  CHECK(runner.agent(1)->attempts() == 2);
}

}  // namespace
}  // namespace ptsim::elastic
