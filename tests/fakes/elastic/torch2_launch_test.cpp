// torch 2.x launch lines (--torch-version 2): every flag of the 2.x run.py
// parser accepted and modelled (output filters, tee, event log handler,
// signals, shutdown timeout, virtual local rank, store sharing), where each
// local rank's output goes, and the notes an agent writes instead of waiting
// in silence.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "fakes/elastic/agent_watch.hpp"
#include "fakes/elastic/launch_config.hpp"
#include "fakes/elastic/launch_extras.hpp"
#include "fakes/elastic/torch_probe.hpp"
#include "fakes/elastic/worker_output.hpp"
#include "tests/fakes/elastic/elastic_fixture.hpp"

namespace ptsim::elastic {
namespace {

using testing::AgentFixture;
using testing::ContainerRun;

LaunchPlan Plan2(std::vector<std::string> argv, EnvMap env = {}) {
  LaunchInputs inputs;
  inputs.python_executable = "/usr/bin/python3";
  inputs.standalone_run_id = "uuid";
  inputs.cpu_count = 2;
  return PlanTorchrun(argv, env, TorchrunProfile::For(TorchVersion::kTorch2), inputs);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("torch 2 accepts every flag of its run.py, and torch 1.13 rejects them") {
  const std::vector<std::string> argv = {"torchrun",
                                         "--nproc-per-node=2",
                                         "--event-log-handler",
                                         "console",
                                         "--local-ranks-filter",
                                         "0",
                                         "--duplicate-stdout-filters",
                                         "loss,,x,step",
                                         "--duplicate_stderr_filters=err",
                                         "--local-addr",
                                         "10.0.0.1",
                                         "--numa-binding",
                                         "core-complex",
                                         "--signals-to-handle",
                                         "SIGTERM,SIGUSR1",
                                         "--shutdown-timeout",
                                         "7",
                                         "--virtual-local-rank",
                                         "--role",
                                         "rank",
                                         "--tee",
                                         "3",
                                         "train.py"};
  auto plan = Plan2(argv);
  REQUIRE(plan.ok());
  const ElasticLaunchConfig& c = *plan.config;
  CHECK(c.event_log_handler == "console");
  CHECK(c.local_ranks_filter == std::set<int>{0});
  CHECK(c.duplicate_stdout_filters == std::vector<std::string>{"loss,x", "step"});
  CHECK(c.duplicate_stderr_filters == std::vector<std::string>{"err"});
  CHECK(c.local_addr == "10.0.0.1");
  CHECK(c.numa_binding == "core-complex");
  CHECK(c.signals_to_handle == "SIGTERM,SIGUSR1");
  CHECK(c.shutdown_timeout == std::chrono::seconds(7));
  CHECK(c.virtual_local_rank);
  CHECK(c.role == "rank");
  CHECK(c.tee == "3");
  LaunchInputs inputs;
  auto old = PlanTorchrun({"torchrun", "--local-ranks-filter", "0", "x.py"}, {},
                          TorchrunProfile::For(TorchVersion::kTorch1_13), inputs);
  REQUIRE(old.error);
  CHECK(old.error->message == "unrecognized arguments: --local-ranks-filter");
}

TEST_CASE("torch 2's new flags have their PET_ variables, and the shutdown timeout its own") {
  auto plan = Plan2({"torchrun", "x.py"}, {{"PET_LOCAL_RANKS_FILTER", "1,0"},
                                           {"PET_SIGNALS_TO_HANDLE", "SIGINT"},
                                           {"PET_VIRTUAL_LOCAL_RANK", "1"},
                                           {"TORCH_ELASTIC_SHUTDOWN_TIMEOUT", "12"}});
  REQUIRE(plan.ok());
  CHECK(plan.config->local_ranks_filter == std::set<int>{0, 1});
  CHECK(plan.config->signals_to_handle == "SIGINT");
  CHECK(plan.config->virtual_local_rank);
  CHECK(plan.config->shutdown_timeout == std::chrono::seconds(12));
  auto flag = Plan2({"torchrun", "--shutdown_timeout=3", "x.py"},
                    {{"TORCH_ELASTIC_SHUTDOWN_TIMEOUT", "12"}});
  CHECK(flag.config->shutdown_timeout == std::chrono::seconds(3));
}

TEST_CASE("bad torch 2 values fail as torch fails") {
  auto filter = Plan2({"torchrun", "--local-ranks-filter", "0,a", "x.py"});
  REQUIRE(filter.error);
  CHECK(filter.error->ExceptionLine() ==
        "ValueError: --local_ranks_filter must be a comma-separated list of integers e.g. "
        "--local_ranks_filter=0,1,2");
  auto specs = Plan2({"torchrun", "--logs-specs", "mine", "x.py"});
  REQUIRE(specs.error);
  CHECK(specs.error->ExceptionLine() ==
        "ValueError: Could not find entrypoint under 'torchrun.logs_specs[mine]' key");
  auto numa = Plan2({"torchrun", "--numa-binding", "cpu", "x.py"});
  REQUIRE(numa.error);
  CHECK(numa.error->message ==
        "argument --numa-binding/--numa_binding: invalid choice: 'cpu' (choose from 'node', "
        "'socket', 'exclusive', 'core-complex')");
  auto timeout = Plan2({"torchrun", "x.py"}, {{"TORCH_ELASTIC_SHUTDOWN_TIMEOUT", "soon"}});
  REQUIRE(timeout.error);
  CHECK(timeout.error->source == "TORCH_ELASTIC_SHUTDOWN_TIMEOUT");
}

TEST_CASE("torch 2 warns that master_addr only serves the static backend") {
  auto plan = Plan2({"torchrun", "--rdzv-backend=c10d", "--rdzv-endpoint=", "x.py"});
  REQUIRE_FALSE(plan.output.empty());
  CHECK(plan.output.front() ==
        "WARNING:torch.distributed.run:master_addr is only used for static rdzv_backend and when "
        "rdzv_endpoint is not specified.");
}

TEST_CASE("redirected ranks write files, tee'd ones print with their prefix, filters hide ranks") {
  testing::TempDir dir;
  WorkerOutput::Config config;
  config.redirects = "0:1";  // rank 0 to its file only
  config.tee = "1:1,2:1";    // ranks 1 and 2 to their files and the console
  config.local_ranks_filter = std::set<int>{0, 1, 3};
  config.role = "rank";
  config.attempt_dir = dir.path();
  config.nproc = 4;
  config.duplicate_stdout_filters = {"loss"};
  WorkerOutput out(config);
  CHECK_FALSE(out.Route(0, "zero"));
  CHECK(out.Route(1, "loss 1") == "[rank1]:loss 1");
  CHECK_FALSE(out.Route(2, "two"));  // tee'd, but filtered: the file only
  CHECK(out.Route(3, "three") == "three");
  CHECK(ReadFile(dir / "0/stdout.log") == "zero\n");
  CHECK(ReadFile(dir / "1/stdout.log") == "loss 1\n");
  CHECK(ReadFile(dir / "2/stdout.log") == "two\n");
  CHECK(ReadFile(dir / "filtered_stdout.log") == "[rank1]:loss 1\n");
  WorkerOutput templated(
      {"0", "3", std::nullopt, {}, "trainer", "[${role_name}-${rank}]", "", 1, {5}});
  CHECK(templated.Route(0, "x") == "[trainer-5]x");
}

TEST_CASE("the Std.from_str bug is avoided only by 1 and 2 for every existing local rank") {
  // As measured with /usr/bin/torchrun --nproc_per_node 2 (torch 1.13, Python 3.11).
  CHECK_FALSE(StdValueAvoidsBug("0", 2));
  CHECK(StdValueAvoidsBug("1", 2));
  CHECK(StdValueAvoidsBug("2", 2));
  CHECK_FALSE(StdValueAvoidsBug("3", 2));
  CHECK(StdValueAvoidsBug("0:1", 2));
  CHECK(StdValueAvoidsBug("0:1,1:2", 2));
  CHECK(StdValueAvoidsBug("9:1", 2));
  CHECK(StdValueAvoidsBug("9:0", 2));
  CHECK(StdValueAvoidsBug("9:3", 2));
  CHECK_FALSE(StdValueAvoidsBug("0:0", 2));
  CHECK_FALSE(StdValueAvoidsBug("0:3", 2));
  CHECK(StdValueAvoidsBug("1:1", 2));
  CHECK_FALSE(StdValueAvoidsBug("1:0", 2));
  CHECK(StdValueAvoidsBug("1:0", 1));
  auto cmd = [](std::vector<std::string> argv) { return *RecognizeTorchrun(argv); };
  CHECK(WorksAroundStdBug(cmd({"torchrun", "-r", "9:1", "--tee=9:1", "x.py"}), {}));
  CHECK(WorksAroundStdBug(cmd({"torchrun", "x.py"}), {"PET_REDIRECTS=1", "PET_TEE=2"}));
  CHECK_FALSE(WorksAroundStdBug(cmd({"torchrun", "x.py"}), {"PET_REDIRECTS=0", "PET_TEE=0"}));
  CHECK_FALSE(WorksAroundStdBug(cmd({"torchrun", "-r1", "x.py"}), {}));  // tee stays "0"
  CHECK_FALSE(WorksAroundStdBug(
      cmd({"torchrun", "--nproc_per_node=2", "-r", "0:3", "-t", "9:1", "x.py"}), {}));
  CHECK(WorksAroundStdBug(cmd({"torchrun", "-r", "1:0", "-t", "1", "x.py"}), {}));  // one rank
}

TEST_CASE("signals to handle: torch's names only, with torch's warning for the others") {
  std::vector<std::string> warnings;
  CHECK(HandledSignals("SIGTERM, SIGUSR1,SIGFOO,15", &warnings) == std::set<int>{SIGTERM, SIGUSR1});
  REQUIRE(warnings.size() == 8);
  CHECK(warnings[0] ==
        "WARNING:torch.distributed.elastic.multiprocessing.api:Failed to register signal handler "
        "for SIGFOO");
  CHECK(warnings[3] == "AttributeError: module 'signal' has no attribute 'SIGFOO'");
  CHECK(warnings[7] == "AttributeError: module 'signal' has no attribute '15'");
}

TEST_CASE("virtual local ranks see one device as device 0") {
  auto plain = VirtualLocalRankEnv({}, 3);
  CHECK(std::get<0>(plain) == std::vector<std::pair<std::string, std::string>>{
                                  {"LOCAL_RANK", "0"}, {"CUDA_VISIBLE_DEVICES", "3"}});
  auto mapped = VirtualLocalRankEnv({{"CUDA_VISIBLE_DEVICES", "4, 6"}}, 1);
  CHECK(std::get<0>(mapped)[1].second == "6");
  auto short_list = VirtualLocalRankEnv({{"CUDA_VISIBLE_DEVICES", "4"}}, 1);
  REQUIRE(std::holds_alternative<TorchrunError>(short_list));
  CHECK(std::get<TorchrunError>(short_list).ExceptionLine() ==
        "ValueError: local_rank 1 exceeds available GPUs in CUDA_VISIBLE_DEVICES=4");
}

const std::vector<std::string> kTorch2Line = {"torchrun",
                                              "--nproc_per_node=2",
                                              "--rdzv_backend",
                                              "c10d",
                                              "--rdzv_endpoint=localhost:0",
                                              "--local-ranks-filter",
                                              "0",
                                              "--role",
                                              "rank",
                                              "--tee",
                                              "3",
                                              "--event-log-handler",
                                              "console",
                                              "--monitor-interval=1",
                                              "--no-python",
                                              "/bin/w"};

TEST_CASE_METHOD(AgentFixture, "a torchtitan launch line runs with torch 2's filters and tee") {
  options.agent.profile = TorchrunProfile::For(TorchVersion::kTorch2);
  ContainerRun& c = Start("ns/p/c", kTorch2Line, {"TORCHELASTIC_HEALTH_CHECK_PORT=8080"});
  RunUntil([this] { return workers.spawns().size() == 2; });
  const ProcessSpec& w0 = workers.spawns()[0];
  // torch 2 shares the c10d store with its workers.
  CHECK(Env(w0, "TORCHELASTIC_USE_AGENT_STORE") == "True");
  CHECK(Env(w0, "ROLE_NAME") == "rank");
  CHECK(Env(w0, "TORCHELASTIC_SIGNALS_TO_HANDLE") == "SIGTERM,SIGINT,SIGHUP,SIGQUIT");
  const int port = std::stoi(Env(w0, "MASTER_PORT"));
  CHECK(registry.TcpStoreAt(Env(w0, "MASTER_ADDR"), port, "").serving());
  CHECK(c.Printed(
      "WARNING:torch.distributed.elastic.agent.server.health_check_server:No health check server "
      "started"));
  workers.Output(IdOf(0), "step 1 loss 0.5");
  workers.Output(IdOf(1), "step 1 loss 0.7");
  CHECK(c.Printed("[rank0]:step 1 loss 0.5"));
  CHECK_FALSE(c.Printed("loss 0.7"));
  workers.End(IdOf(0), ProcessExit::Exited(0));
  workers.End(IdOf(1), ProcessExit::Exited(0));
  RunUntilExit(c);
  CHECK(c.exit->value == 0);
  CHECK(c.Printed("{\"name\": \"torchelastic.worker.status.SUCCEEDED\", \"source\": \"WORKER\""));
  CHECK(c.Printed("\"global_rank\": 1"));
  // The agent's end takes the shared store down.
  CHECK_FALSE(registry.TcpStoreAt(Env(w0, "MASTER_ADDR"), port, "").serving());
}

TEST_CASE_METHOD(AgentFixture, "an unknown event log handler fails torchrun after the run") {
  options.agent.profile = TorchrunProfile::For(TorchVersion::kTorch2);
  ContainerRun& c =
      Start("ns/p/c", {"torchrun", "--event-log-handler", "mine", "--no-python", "/bin/w"});
  RunUntil([this] { return workers.spawns().size() == 1; });
  workers.End(IdOf(0), ProcessExit::Exited(0));
  RunUntilExit(c);
  CHECK(c.exit->value == 1);
  CHECK(c.lines.back() == "KeyError: 'mine'");
}

TEST_CASE_METHOD(AgentFixture, "torch 2 handles the signals it is told to, and only those") {
  options.agent.profile = TorchrunProfile::For(TorchVersion::kTorch2);
  ContainerRun& c =
      Start("ns/p/c", {"torchrun", "--signals-to-handle=SIGUSR1", "--no-python", "/bin/w"});
  RunUntil([this] { return workers.spawns().size() == 1; });
  Runner().Signal(c.id, SIGUSR1);
  RunUntilExit(c);
  CHECK(c.exit->value == 1);
  CHECK(c.Printed("Received 10 death signal, shutting down workers"));
  ContainerRun& d =
      Start("ns/q/c", {"torchrun", "--signals-to-handle=SIGUSR1", "--no-python", "/bin/w"});
  RunUntil([this] { return workers.spawns().size() == 2; });
  Runner().Signal(d.id, SIGTERM);  // no handler for it: the agent dies of it
  RunUntilExit(d);
  CHECK(d.exit->kind == ProcessExit::Kind::kSignaled);
}

TEST_CASE_METHOD(AgentFixture,
                 "torch 2's shutdown timeout bounds the wait before SIGKILL after a signal") {
  options.agent.profile = TorchrunProfile::For(TorchVersion::kTorch2);
  workers.set_signals_end_processes(false);
  ContainerRun& c = Start("ns/p/c", {"torchrun", "--nproc-per-node=2", "--shutdown-timeout=4",
                                     "--monitor-interval=1", "--no-python", "/bin/w"});
  RunUntil([this] { return workers.spawns().size() == 2; });
  const Time start = loop.Now();
  Runner().Signal(c.id, SIGTERM);
  RunUntil([this] { return workers.signals().size() == 4; });
  CHECK(workers.signals()[0].signal == SIGTERM);
  CHECK(workers.signals()[2].signal == SIGKILL);
  CHECK(workers.signals()[2].at - workers.signals()[0].at == std::chrono::seconds(4));
  CHECK(workers.signals()[0].at - start <= std::chrono::seconds(1));
  workers.End(IdOf(0), ProcessExit::Signaled(SIGKILL));
  workers.End(IdOf(1), ProcessExit::Signaled(SIGKILL));
  RunUntilExit(c);
}

TEST_CASE_METHOD(AgentFixture, "torch 2's shutdown timeout leaves a failed group's 30 s alone") {
  options.agent.profile = TorchrunProfile::For(TorchVersion::kTorch2);
  workers.set_signals_end_processes(false);
  ContainerRun& c = Start("ns/p/c", {"torchrun", "--nproc-per-node=2", "--shutdown-timeout=4",
                                     "--monitor-interval=1", "--no-python", "/bin/w"});
  RunUntil([this] { return workers.spawns().size() == 2; });
  workers.End(IdOf(1), ProcessExit::Exited(3));
  RunUntil([this] { return workers.signals().size() == 2; });
  CHECK(workers.signals()[0].signal == SIGTERM);
  CHECK(workers.signals()[1].signal == SIGKILL);
  CHECK(workers.signals()[1].at - workers.signals()[0].at == std::chrono::seconds(30));
  workers.End(IdOf(0), ProcessExit::Signaled(SIGKILL));
  RunUntilExit(c);
}

TEST_CASE_METHOD(AgentFixture,
                 "torch 1.13 gives c10d workers their own store, torch 2 shares one") {
  const std::vector<std::string> line = {"torchrun", "--rdzv_backend=c10d",
                                         "--rdzv_endpoint=localhost:29400", "--no_python",
                                         "/bin/w"};
  Start("ns/a/c", line);
  RunUntil([this] { return workers.spawns().size() == 1; });
  CHECK(Env(workers.spawns()[0], "TORCHELASTIC_USE_AGENT_STORE") == "False");
  options.agent.profile = TorchrunProfile::For(TorchVersion::kTorch2);
  runner.reset();
  Start("ns/b/c", line, {"TORCH_DISABLE_SHARE_RDZV_TCP_STORE=1"});
  RunUntil([this] { return workers.spawns().size() == 2; });
  CHECK(Env(workers.spawns()[1], "TORCHELASTIC_USE_AGENT_STORE") == "False");
}

TEST_CASE_METHOD(AgentFixture, "an agent still waiting for its rendezvous says so in a note") {
  Start("ns/node-1/c", {"torchrun", "--nnodes=2", "--node_rank=1", "--master_addr=127.0.0.1",
                        "--master_port=29611", "--no_python", "/bin/w"});
  RunFor(29);
  CHECK(notes.list().empty());
  RunFor(2);
  CHECK(
      Noted("ns/node-1/c: torchrun has waited 30.0s for its rendezvous: node rank 1 waits for "
            "node rank 0's torchrun to serve the static rendezvous at 127.0.0.1:29611 "
            "(--master_addr, --master_port); it gives up 900.0s after it began waiting"));
  CHECK(notes.list().size() == 1);
}

TEST_CASE_METHOD(AgentFixture, "workers whose agent store closes under them get a note") {
  auto argv = [](int rank) {
    return std::vector<std::string>{"torchrun",
                                    "--nnodes=2",
                                    "--node_rank=" + std::to_string(rank),
                                    "--master_addr=127.0.0.1",
                                    "--master_port=29612",
                                    "--monitor_interval=1",
                                    "--no_python",
                                    "/bin/w"};
  };
  ContainerRun& node0 = Start("ns/node-0/c", argv(0));
  Start("ns/node-1/c", argv(1));
  RunUntil([this] { return workers.spawns().size() == 2; });
  CHECK(notes.list().empty());
  Runner().Signal(node0.id, SIGKILL);
  RunUntilExit(node0);
  RunFor(1);
  CHECK(
      Noted("ns/node-1/c: the store at MASTER_ADDR:MASTER_PORT=127.0.0.1:29612 that its workers "
            "use closed: the torchrun that hosted it ended."));
}

TEST_CASE_METHOD(AgentFixture,
                 "nothing listening on a worker-hosted store is noted after a grace") {
  KernelPortAllocator kernel;
  const int port = kernel.Allocate();
  AgentContext ctx = Runner().ContextFor(ProcessSpec{});
  AgentWatch::Options o;
  o.store_grace = std::chrono::seconds(2);
  AgentWatch watch(ctx, &notes, &trace, "ns/p/c", o);
  watch.WorkersStarted("127.0.0.1", port, /*use_agent_store=*/false, /*real=*/true);
  RunFor(1);
  CHECK(notes.list().empty());
  RunFor(2);
  CHECK(Noted("ns/p/c: nothing has listened on MASTER_ADDR:MASTER_PORT=127.0.0.1:" +
              std::to_string(port) + " in the 2.0s since its workers started."));
}

TEST_CASE("a listening port is seen in /proc/net/tcp") {
  ManualWallClock wall;
  EventLoop loop(wall);
  TcpStore store(loop, "127.0.0.1:x", false);
  REQUIRE(store.StartServer(1));
  const int port = std::get<int>(store.ServeReal(0));
  CHECK(AgentWatch::PortListening(port));
  store.StopServer(1);
  CHECK_FALSE(AgentWatch::PortListening(port));
}

}  // namespace
}  // namespace ptsim::elastic
