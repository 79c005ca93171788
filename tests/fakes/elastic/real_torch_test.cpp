// Real PyTorch (Debian's torch 1.13 under /usr/bin/python3, gloo, CPU) against
// the emulated agent's store: torch's own TCPStore client on the server an
// agent hosts, init_process_group("gloo") with env:// and an allreduce across
// 2 nodes x 2 processes for the static backend (the agent's store) and for
// c10d (rank 0's own store), and a @record worker whose error file the agent
// reads into ChildFailedError as real torchrun does. Without a usable torch
// the tests say why and stop. Real processes: a few seconds each (Python's
// start and `import torch` dominate).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "fakes/elastic/elastic_agent_runner.hpp"
#include "fakes/elastic/store_server.hpp"
#include "fakes/process/real_process_runner.hpp"
#include "tests/support/temp_dir.hpp"

namespace ptsim::elastic {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

const std::string& TorchSkipReason() {
  static const std::string reason = [] {
    if (::access(kPython, X_OK) != 0) return std::string(kPython) + " is not installed";
    const int rc = std::system(
        "/usr/bin/python3 -c 'import torch.distributed as d; assert d.is_gloo_available()' "
        ">/dev/null 2>&1");
    return rc == 0 ? std::string() : std::string(kPython) + " cannot import torch with gloo";
  }();
  return reason;
}

#define REQUIRE_TORCH()                                                    \
  do {                                                                     \
    if (!TorchSkipReason().empty()) {                                      \
      WARN("skipped: this test runs real PyTorch: " << TorchSkipReason()); \
      return;                                                              \
    }                                                                      \
  } while (false)

// Every rank: init_process_group(gloo, env://), allreduce of its rank + 1,
// then a barrier; prints what it got.
constexpr const char* kAllreduce = R"(import os, torch, torch.distributed as dist
dist.init_process_group("gloo", init_method="env://")
t = torch.tensor([dist.get_rank() + 1.0])
dist.all_reduce(t)
dist.barrier()
print(f"rank {dist.get_rank()} of {dist.get_world_size()} sum {int(t.item())} "
      f"agent_store {os.environ['TORCHELASTIC_USE_AGENT_STORE']}", flush=True)
)";

// A raw TCPStore client on the store at argv[1]:argv[2].
constexpr const char* kRawClient = R"(import sys, datetime, torch.distributed as d
s = d.TCPStore(sys.argv[1], int(sys.argv[2]), None, False, datetime.timedelta(seconds=10))
s.set("k", "v")
assert s.get("k") == b"v"
assert s.add("n", 5) == 5 and s.add("n", 2) == 7
s.wait(["k", "n"])
assert s.compare_set("k", "v", "w") == b"w"
assert s.compare_set("k", "nope", "x") == b"w"
assert s.num_keys() == 2, s.num_keys()
assert s.delete_key("n") and not s.delete_key("n")
try:
    s.wait(["never"], datetime.timedelta(milliseconds=200))
    raise SystemExit("wait did not time out")
except RuntimeError as e:
    assert "Socket Timeout" in str(e), e
print("store ok", flush=True)
)";

// A worker that raises under @record: torch writes its error file.
constexpr const char* kRecord =
    R"(from torch.distributed.elastic.multiprocessing.errors import record
@record
def main():
    raise ValueError("the data loader found no files")
main()
)";

struct Run {
  std::vector<std::string> lines;
  std::optional<ProcessExit> exit;
  bool Printed(const std::string& needle) const {
    for (const auto& l : lines)
      if (l.find(needle) != std::string::npos) return true;
    return false;
  }
  std::string Output() const {
    std::string out;
    for (const auto& l : lines)
      out += l + "\n";
    return out;
  }
};

struct RealTorch {
  RealTorch() {
    ElasticAgentRunner::Options o;
    o.policy = ElasticPolicy::kEmulate;
    o.agent.log_root = dir.path();
    o.python_executable = kPython;
    ElasticAgentRunner::Deps deps;
    deps.ports = &ports;
    deps.notes = &notes;
    agents = std::make_unique<ElasticAgentRunner>(loop, real, registry, Random(5), o, deps);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  }
  Run& Start(ProcessRunner& runner, const std::string& name, std::vector<std::string> argv,
             std::vector<std::string> env = {}) {
    ProcessSpec spec;
    spec.name = name;
    spec.argv = std::move(argv);
    spec.env = {"PATH=/usr/bin:/bin", "HOME=" + dir.path(), "OMP_NUM_THREADS=1"};
    spec.env.insert(spec.env.end(), env.begin(), env.end());
    spec.working_dir = dir.path();
    Run& r = runs[name];
    auto id = runner.Spawn(spec, {[&r](std::string_view l) { r.lines.emplace_back(l); },
                                  [&r](const ProcessExit& e) { r.exit = e; }});
    REQUIRE(id.ok());
    return r;
  }
  void RunUntilAllExit(double limit = 120) {
    loop.Run(loop.Now() + Seconds(limit), [this] {
      for (auto& [name, r] : runs)
        if (!r.exit) return false;
      return true;
    });
    for (auto& [name, r] : runs) {
      INFO(name << ":\n" << r.Output());
      REQUIRE(r.exit);
    }
  }

  testing::TempDir dir;
  SteadyWallClock wall;
  EventLoop loop{wall};
  RendezvousRegistry registry{loop};
  RealProcessRunner real{loop, {}};
  KernelPortAllocator ports;
  Notes notes;
  std::unique_ptr<ElasticAgentRunner> agents;
  std::map<std::string, Run> runs;
};

TEST_CASE_METHOD(RealTorch, "torch's own TCPStore client works against an agent's store") {
  REQUIRE_TORCH();
  const int port = ports.Allocate();
  TcpStore& store = registry.TcpStoreAt("127.0.0.1", port, "");
  REQUIRE(store.StartServer(99));
  REQUIRE(std::holds_alternative<int>(store.ServeReal(port)));
  const std::string client = Write("client.py", kRawClient);
  Run& r = Start(real, "t/client/c", {kPython, client, "127.0.0.1", std::to_string(port)});
  RunUntilAllExit();
  INFO(r.Output());
  CHECK(r.exit->ExitCode() == 0);
  CHECK(r.Printed("store ok"));
  // The client's keys are the agent's: torch's "/" prefix, and the store saw it connect.
  CHECK(store.Get("k") == "w");
  CHECK(store.real_server()->clients().size() >= 1);
  CHECK(store.real_server()->clients().front().dialect == wire::Dialect::kTorch1_13);
}

TEST_CASE_METHOD(RealTorch,
                 "gloo allreduce across 2 static nodes x 2 processes uses the agent store") {
  REQUIRE_TORCH();
  const std::string script = Write("allreduce.py", kAllreduce);
  const int port = ports.Allocate();
  for (int node = 0; node < 2; ++node) {
    Start(*agents, "t/node-" + std::to_string(node) + "/c",
          {"torchrun", "--nnodes=2", "--node_rank=" + std::to_string(node), "--nproc_per_node=2",
           "--master_addr=127.0.0.1", "--master_port=" + std::to_string(port),
           "--monitor_interval=0.2", script});
  }
  RunUntilAllExit();
  for (auto& [name, r] : runs) {
    INFO(name << ":\n" << r.Output());
    CHECK(r.exit->ExitCode() == 0);
    CHECK(r.Printed("of 4 sum 10 agent_store True"));
  }
  CHECK(notes.list().empty());
}

TEST_CASE_METHOD(RealTorch,
                 "gloo allreduce across 2 c10d nodes x 2 processes uses rank 0's store") {
  REQUIRE_TORCH();
  const std::string script = Write("allreduce.py", kAllreduce);
  const int port = ports.Allocate();
  for (int node = 0; node < 2; ++node) {
    Start(*agents, "t/node-" + std::to_string(node) + "/c",
          {"torchrun", "--nnodes=2", "--nproc_per_node=2", "--rdzv_backend=c10d",
           "--rdzv_endpoint=127.0.0.1:" + std::to_string(port), "--rdzv_id=job",
           "--rdzv_conf=is_host=" + std::to_string(node == 0 ? 1 : 0), "--monitor_interval=0.2",
           script});
  }
  RunUntilAllExit();
  for (auto& [name, r] : runs) {
    INFO(name << ":\n" << r.Output());
    CHECK(r.exit->ExitCode() == 0);
    CHECK(r.Printed("of 4 sum 10 agent_store False"));
  }
}

TEST_CASE_METHOD(RealTorch, "a @record worker's error file becomes the ChildFailedError") {
  REQUIRE_TORCH();
  const std::string script = Write("record.py", kRecord);
  const std::string launcher_error = dir / "torchrun-error.json";
  Run& r = Start(*agents, "t/p/c", {"torchrun", "--monitor_interval=0.2", script},
                 {"TORCHELASTIC_ERROR_FILE=" + launcher_error});
  RunUntilAllExit();
  INFO(r.Output());
  CHECK(r.exit->ExitCode() == 1);
  CHECK(r.Printed("torch.distributed.elastic.multiprocessing.errors.ChildFailedError: "));
  CHECK(r.Printed("  exitcode  : 1 (pid: "));
  CHECK(r.Printed("error_file: " + dir.path()));
  CHECK(r.Printed("ValueError: the data loader found no files"));
  // torchrun's own @record copies the root cause into its error file.
  std::ifstream in(launcher_error);
  const std::string copied((std::istreambuf_iterator<char>(in)), {});
  auto data = nlohmann::json::parse(copied, nullptr, false);
  REQUIRE_FALSE(data.is_discarded());
  CHECK(data["message"]["errorCode"] == 1);
  CHECK(data["message"]["message"].get<std::string>().find("the data loader found no files") !=
        std::string::npos);
}

}  // namespace
}  // namespace ptsim::elastic
