// Conformance against the real thing: the same worker program under real
// torchrun (/usr/bin/torchrun, torch 1.13, with the Python 3.11 workaround
// PET_REDIRECTS=9:1 PET_TEE=9:1) and under the emulated agent, side by side
// in one event loop, both with real worker processes. Compared: what each
// worker sees (modulo error-file directories and pids), the attempts and
// which ranks restart, torchrun's log lines, the exit status, and the
// ChildFailedError summary. Without a usable torch the tests say why and stop.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

#include "fakes/elastic/elastic_agent_runner.hpp"
#include "fakes/kubelet/host_network.hpp"
#include "fakes/process/real_process_runner.hpp"
#include "tests/fakes/elastic/elastic_fixture.hpp"

namespace ptsim::elastic {
namespace {

constexpr const char* kTorchrun = "/usr/bin/torchrun";
// How long a test waits for real torchrun to start its workers or to exit. It
// imports torch first: a few seconds on an idle machine, but past 30 s with
// two tests' torchruns starting at once on 2 busy cores (seen under ASan in
// a loaded CI). The bound only catches a hang: a passing test waits for the
// processes, never for the bound.
constexpr double kRealTorchrunBound = 240;

// Why real torchrun cannot be the oracle here, or "" when it can.
const std::string& TorchSkipReason() {
  static const std::string reason = [] {
    if (::access(kTorchrun, X_OK) != 0) return std::string(kTorchrun) + " is not installed";
    RealTorchProbe probe;
    std::string why;
    if (!probe.RealTorchrunUsable(*RecognizeTorchrun({kTorchrun, "x"}),
                                  {"PATH=/usr/bin:/bin", "PET_REDIRECTS=9:1", "PET_TEE=9:1"},
                                  &why)) {
      return why;
    }
    return std::string();
  }();
  return reason;
}

#define REQUIRE_TORCH()                                                                       \
  do {                                                                                        \
    if (!TorchSkipReason().empty()) {                                                         \
      WARN("skipped: real torchrun is the oracle and it is unusable: " << TorchSkipReason()); \
      return;                                                                                 \
    }                                                                                         \
  } while (false)

// The worker: prints its torchrun environment and its attempt, then behaves as
// W_MODE says. Rank 0 lives until it is stopped (exec sleep: one process).
constexpr const char* kWorker = R"(#!/bin/sh
env | grep -E '^(RANK|LOCAL_RANK|GROUP_RANK|ROLE_RANK|ROLE_NAME|LOCAL_WORLD_SIZE|WORLD_SIZE|GROUP_WORLD_SIZE|ROLE_WORLD_SIZE|MASTER_ADDR|MASTER_PORT|TORCHELASTIC_[A-Z_]*|NCCL_ASYNC_ERROR_HANDLING|OMP_NUM_THREADS|PET_[A-Z_]*)=' | sort | sed "s/^/env$RANK /"
echo "attempt rank=$RANK restart=$TORCHELASTIC_RESTART_COUNT"
# This attempt's directory (error files are <attempt>/<local_rank>/error.json):
# rank 0 marks it once it has printed, so that a failing rank 1 does not get
# rank 0 stopped before its lines, whichever agent is quicker on a busy machine.
attempt_dir=${TORCHELASTIC_ERROR_FILE%/*/*}
[ "$RANK" = 0 ] && : > "$attempt_dir/rank0-printed"
wait_for_rank0() {
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    [ -e "$attempt_dir/rank0-printed" ] && return
    sleep 0.25
  done
}
case "$W_MODE" in
  flaky) if [ "$RANK" = 1 ] && [ "$TORCHELASTIC_RESTART_COUNT" = 0 ]; then wait_for_rank0; exit 7; fi; exit 0 ;;
  always) if [ "$RANK" = 1 ]; then wait_for_rank0; exit 5; fi ;;
  errorfile)
    if [ "$RANK" = 1 ]; then
      printf '{"message": {"message": "ValueError: boom", "extraInfo": {"py_callstack": "Traceback (most recent call last):\\nValueError: boom", "timestamp": "1700000000"}}}' > "$TORCHELASTIC_ERROR_FILE"
      exit 3
    fi ;;
  ok) exit 0 ;;
esac
exec sleep 60
)";

struct Outcome {
  std::vector<std::string> lines;
  std::optional<ProcessExit> exit;
};

struct Conformance {
  Conformance() {
    worker = dir.path() + "/worker.sh";
    std::ofstream(worker) << kWorker;
    ::chmod(worker.c_str(), 0755);
    ElasticAgentRunner::Options o;
    o.policy = ElasticPolicy::kEmulate;
    o.agent.log_root = dir.path();
    // The real torchrun beside it binds the same master ports; the shell
    // workers use no store (the store server is tested in real_torch_test.cpp).
    o.real_stores = false;
    emulated = std::make_unique<ElasticAgentRunner>(loop, real, registry, Random(3), o,
                                                    ElasticAgentRunner::Deps{});
  }

  std::vector<std::string> Env(const std::string& mode) const {
    return {"PATH=/usr/bin:/bin", "PET_REDIRECTS=9:1", "PET_TEE=9:1", "W_MODE=" + mode,
            "HOME=" + dir.path()};
  }

  // Starts `args` under real torchrun and under the emulation.
  std::pair<ProcessId, ProcessId> Start(const std::vector<std::string>& args,
                                        const std::vector<std::string>& env) {
    auto spawn = [&](ProcessRunner& runner, Outcome& out, const std::string& name) {
      ProcessSpec spec;
      spec.name = name;
      spec.argv = {kTorchrun};
      spec.argv.insert(spec.argv.end(), args.begin(), args.end());
      spec.env = env;
      spec.working_dir = dir.path();
      auto id = runner.Spawn(spec, {[&out](std::string_view l) { out.lines.emplace_back(l); },
                                    [&out](const ProcessExit& e) { out.exit = e; }});
      REQUIRE(id.ok());
      return *id;
    };
    const ProcessId r = spawn(real, real_out, "conf/real/c");
    const ProcessId e = spawn(*emulated, emu_out, "conf/emulated/c");
    return {r, e};
  }

  void RunUntilBothExit(double limit = kRealTorchrunBound) {
    loop.Run(loop.Now() + Seconds(limit), [&] { return real_out.exit && emu_out.exit; });
    REQUIRE(real_out.exit);
    REQUIRE(emu_out.exit);
  }

  testing::TempDir dir;
  std::string worker;
  SteadyWallClock wall;
  EventLoop loop{wall};
  RendezvousRegistry registry{loop};
  RealProcessRunner real{loop, {}};
  std::unique_ptr<ElasticAgentRunner> emulated;
  Outcome real_out;
  Outcome emu_out;
};

// Error files live under different random directories: keep attempt/rank.
std::string Normalize(std::string line) {
  static const std::regex kErrorFile(R"(([=: ])\S*/(attempt_\d+/\d+/error\.json))");
  static const std::regex kPid(R"((pid: |process |Process )\d+)");
  static const std::regex kTime(R"(time      : \S+)");
  static const std::regex kHost(R"(host      : \S+)");
  line = std::regex_replace(line, kErrorFile, "$1<dir>/$2");
  line = std::regex_replace(line, kPid, "$1<pid>");
  line = std::regex_replace(line, kTime, "time      : <time>");
  return std::regex_replace(line, kHost, "host      : <host>");
}

// Lines starting with `prefix`, normalized and sorted (workers interleave).
std::vector<std::string> Sorted(const Outcome& o, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& l : o.lines)
    if (l.rfind(prefix, 0) == 0) out.push_back(Normalize(l));
  std::sort(out.begin(), out.end());
  return out;
}

// torchrun's own log lines, in order.
std::vector<std::string> AgentLog(const Outcome& o) {
  std::vector<std::string> out;
  for (const auto& l : o.lines)
    if (l.rfind("WARNING:torch", 0) == 0 || l.rfind("ERROR:torch", 0) == 0)
      out.push_back(Normalize(l));
  return out;
}

// The ChildFailedError summary: from its exception line to the end.
std::vector<std::string> Summary(const Outcome& o) {
  std::vector<std::string> out;
  bool in = false;
  for (const auto& l : o.lines) {
    in = in || l.rfind("torch.distributed.elastic.multiprocessing.errors.ChildFailedError", 0) == 0;
    if (in) out.push_back(Normalize(l));
  }
  return out;
}

std::vector<std::string> Common(int master_port) {
  return {"--nproc_per_node=2", "--monitor_interval=0.1",
          "--master_port=" + std::to_string(master_port)};
}

TEST_CASE_METHOD(Conformance,
                 "conformance: a worker failing once is restarted with the same environment") {
  REQUIRE_TORCH();
  KernelPortAllocator ports;
  auto args = Common(ports.Allocate());
  args.insert(args.end(), {"--max_restarts=1", "--no_python", worker});
  Start(args, Env("flaky"));
  RunUntilBothExit();
  INFO("real torchrun:\n"
       << [&] {
            std::string s;
            for (auto& l : real_out.lines)
              s += l + "\n";
            return s;
          }());
  INFO("emulated:\n"
       << [&] {
            std::string s;
            for (auto& l : emu_out.lines)
              s += l + "\n";
            return s;
          }());
  CHECK(real_out.exit->ExitCode() == 0);
  CHECK(emu_out.exit->ExitCode() == 0);
  CHECK(Sorted(emu_out, "attempt ") == Sorted(real_out, "attempt "));
  CHECK(Sorted(real_out, "attempt ") ==
        std::vector<std::string>{"attempt rank=0 restart=0", "attempt rank=0 restart=1",
                                 "attempt rank=1 restart=0", "attempt rank=1 restart=1"});
  CHECK(Sorted(emu_out, "env") == Sorted(real_out, "env"));
  CHECK(AgentLog(emu_out) == AgentLog(real_out));
}

TEST_CASE_METHOD(Conformance,
                 "conformance: when restarts run out both exit 1 naming the root cause") {
  REQUIRE_TORCH();
  KernelPortAllocator ports;
  auto args = Common(ports.Allocate());
  args.insert(args.end(), {"--max_restarts=2", "--no_python", worker});
  Start(args, Env("always"));
  RunUntilBothExit();
  CHECK(real_out.exit->ExitCode() == 1);
  CHECK(emu_out.exit->ExitCode() == 1);
  CHECK(Sorted(emu_out, "attempt ") == Sorted(real_out, "attempt "));
  CHECK(Sorted(real_out, "attempt ").size() == 6);
  CHECK(AgentLog(emu_out) == AgentLog(real_out));
  CHECK(Summary(emu_out) == Summary(real_out));
  CHECK(std::find(real_out.lines.begin(), real_out.lines.end(),
                  "  exitcode  : 5 (pid: " + real_out.lines.back().substr(0, 0)) ==
        real_out.lines.end());  // pids differ
  const auto summary = Summary(real_out);
  CHECK(std::find(summary.begin(), summary.end(), "  rank      : 1 (local_rank: 1)") !=
        summary.end());
  CHECK(std::find(summary.begin(), summary.end(), "  exitcode  : 5 (pid: <pid>)") != summary.end());
}

TEST_CASE_METHOD(Conformance,
                 "conformance: a python script runs as python -u under the same interpreter") {
  REQUIRE_TORCH();
  const std::string script = dir.path() + "/train.py";
  std::ofstream(script) << "import os, sys\n"
                           // One write per line: under -u, print() writes each piece separately
                           // and the two ranks' lines could interleave in the shared pipe.
                           "sys.stdout.write('argv %s buffered %s\\n' % (' '.join(sys.argv[1:]), "
                           "sys.stdout.line_buffering))\n"
                           // Rank 0 prints, marks the attempt and lives until stopped; rank 1
                           // fails once rank 0 has printed: both launchers then stop rank 0,
                           // however slowly each process starts on a busy machine.
                           "import time\n"
                           "mark = os.path.join(os.path.dirname(os.path.dirname("
                           "os.environ['TORCHELASTIC_ERROR_FILE'])), 'rank0-printed')\n"
                           "if os.environ['RANK'] == '0':\n"
                           "    open(mark, 'w').close()\n"
                           "    time.sleep(60)\n"
                           "for _ in range(200):\n"
                           "    if os.path.exists(mark): break\n"
                           "    time.sleep(0.05)\n"
                           "sys.exit(3)\n";
  KernelPortAllocator ports;
  auto args = Common(ports.Allocate());
  args.insert(args.end(), {script, "--lr", "0.1"});
  Start(args, Env("ok"));
  RunUntilBothExit();
  CHECK(real_out.exit->ExitCode() == 1);
  CHECK(emu_out.exit->ExitCode() == 1);
  CHECK(Sorted(emu_out, "argv") == Sorted(real_out, "argv"));
  CHECK(Sorted(real_out, "argv").size() == 2);
  CHECK(AgentLog(emu_out) == AgentLog(real_out));  // "... of binary: /usr/bin/python3.11"
  CHECK(Summary(emu_out) == Summary(real_out));    // "<script> FAILED"
}

TEST_CASE_METHOD(
    Conformance,
    "conformance: a worker's error file becomes the summary and torchrun's error file") {
  REQUIRE_TORCH();
  KernelPortAllocator ports;
  auto args = Common(ports.Allocate());
  args.insert(args.end(), {"--no_python", worker});
  auto env = Env("errorfile");
  // Each launcher copies the root cause into its own TORCHELASTIC_ERROR_FILE.
  auto real_env = env;
  real_env.push_back("TORCHELASTIC_ERROR_FILE=" + dir.path() + "/real.json");
  auto emu_env = env;
  emu_env.push_back("TORCHELASTIC_ERROR_FILE=" + dir.path() + "/emulated.json");
  auto spawn = [&](ProcessRunner& runner, Outcome& out, const std::vector<std::string>& e) {
    ProcessSpec spec;
    spec.name = "conf/x/c";
    spec.argv = {kTorchrun};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.env = e;
    REQUIRE(runner
                .Spawn(spec, {[&out](std::string_view l) { out.lines.emplace_back(l); },
                              [&out](const ProcessExit& x) { out.exit = x; }})
                .ok());
  };
  spawn(real, real_out, real_env);
  spawn(*emulated, emu_out, emu_env);
  RunUntilBothExit();
  CHECK(real_out.exit->ExitCode() == 1);
  CHECK(emu_out.exit->ExitCode() == 1);
  CHECK(Summary(emu_out) == Summary(real_out));
  CHECK(AgentLog(emu_out) == AgentLog(real_out));
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in, nullptr, false);
  };
  const auto real_json = read(dir.path() + "/real.json");
  const auto emu_json = read(dir.path() + "/emulated.json");
  CHECK(real_json == emu_json);
  CHECK(emu_json["message"]["errorCode"] == 3);
}

TEST_CASE_METHOD(Conformance, "conformance: SIGTERM to torchrun stops the workers and exits 1") {
  REQUIRE_TORCH();
  KernelPortAllocator ports;
  auto args = Common(ports.Allocate());
  args.insert(args.end(), {"--no_python", worker});
  auto [real_id, emu_id] = Start(args, Env("hang"));
  auto started = [](const Outcome& o) {
    return std::count_if(o.lines.begin(), o.lines.end(),
                         [](const std::string& l) { return l.rfind("attempt ", 0) == 0; }) == 2;
  };
  loop.Run(loop.Now() + Seconds(kRealTorchrunBound),
           [&] { return started(real_out) && started(emu_out); });
  REQUIRE(started(real_out));
  // As the kubelet's runtime does: the signal goes to the container's main process.
  ::kill(real.Pid(real_id), SIGTERM);
  emulated->Signal(emu_id, SIGTERM);
  RunUntilBothExit();
  CHECK(real_out.exit->ExitCode() == 1);
  CHECK(emu_out.exit->ExitCode() == 1);
  CHECK(AgentLog(emu_out) == AgentLog(real_out));
  CHECK(Normalize(emu_out.lines.back()) == Normalize(real_out.lines.back()));
  CHECK(Normalize(real_out.lines.back()) ==
        "torch.distributed.elastic.multiprocessing.api.SignalException: Process <pid> got signal: "
        "15");
}

TEST_CASE_METHOD(Conformance,
                 "conformance: bad command lines fail with torch's message and status") {
  REQUIRE_TORCH();
  const std::vector<std::vector<std::string>> cases = {
      // Every message is unit-tested; these few keep the unit tests honest.
      {"--nnodes=a:b:c", "--no_python", "/bin/true"},
      {"--nnodes=2:1", "--no_python", "/bin/true"},
      {"--rdzv_backend", "foo", "--no_python", "/bin/true"},
      {"--nproc-per-node", "2", "/bin/true"},
  };
  std::vector<Outcome> reals(cases.size()), emus(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    for (int which = 0; which < 2; ++which) {
      ProcessSpec spec;
      spec.name = "conf/bad" + std::to_string(i) + "/c";
      spec.argv = {kTorchrun};
      spec.argv.insert(spec.argv.end(), cases[i].begin(), cases[i].end());
      spec.env = Env("ok");
      Outcome& out = which == 0 ? reals[i] : emus[i];
      ProcessRunner& runner = which == 0 ? static_cast<ProcessRunner&>(real) : *emulated;
      REQUIRE(runner
                  .Spawn(spec, {[&out](std::string_view l) { out.lines.emplace_back(l); },
                                [&out](const ProcessExit& x) { out.exit = x; }})
                  .ok());
    }
  }
  loop.Run(loop.Now() + Seconds(kRealTorchrunBound), [&] {
    for (std::size_t i = 0; i < cases.size(); ++i)
      if (!reals[i].exit || !emus[i].exit) return false;
    return true;
  });
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i << ": " << cases[i][0]);
    REQUIRE(reals[i].exit);
    REQUIRE(emus[i].exit);
    CHECK(emus[i].exit->ExitCode() == reals[i].exit->ExitCode());
    REQUIRE_FALSE(reals[i].lines.empty());
    REQUIRE_FALSE(emus[i].lines.empty());
    CHECK(emus[i].lines.back() == reals[i].lines.back());
  }
}

TEST_CASE_METHOD(Conformance, "conformance: two c10d nodes get the same ranks and world") {
  REQUIRE_TORCH();
  KernelPortAllocator ports;
  const int port = ports.Allocate();
  std::vector<Outcome> reals(2), emus(2);
  for (int node = 0; node < 2; ++node) {
    for (int which = 0; which < 2; ++which) {
      ProcessSpec spec;
      spec.name = "conf/node" + std::to_string(node) + "/c";
      spec.argv = {kTorchrun,
                   "--nnodes=2",
                   "--nproc_per_node=1",
                   "--rdzv_backend=c10d",
                   "--rdzv_endpoint=127.0.0.1:" + std::to_string(port),
                   "--rdzv_id=job-c10d",
                   "--monitor_interval=0.1",
                   "--no_python",
                   worker};
      spec.env = Env("ok");
      Outcome& out =
          which == 0 ? reals[static_cast<std::size_t>(node)] : emus[static_cast<std::size_t>(node)];
      ProcessRunner& runner = which == 0 ? static_cast<ProcessRunner&>(real) : *emulated;
      REQUIRE(runner
                  .Spawn(spec, {[&out](std::string_view l) { out.lines.emplace_back(l); },
                                [&out](const ProcessExit& x) { out.exit = x; }})
                  .ok());
    }
  }
  loop.Run(loop.Now() + Seconds(kRealTorchrunBound),
           [&] { return reals[0].exit && reals[1].exit && emus[0].exit && emus[1].exit; });
  for (auto* set : {&reals, &emus}) {
    for (auto& o : *set) {
      REQUIRE(o.exit);
      CHECK(o.exit->ExitCode() == 0);
    }
  }
  // Which node got which group rank may differ; the set of environments may not.
  auto envs = [](std::vector<Outcome>& set) {
    std::vector<std::string> all;
    for (auto& o : set)
      for (auto& l : Sorted(o, "env"))
        all.push_back(std::regex_replace(l, std::regex("MASTER_PORT=\\d+"), "MASTER_PORT=<port>"));
    std::sort(all.begin(), all.end());
    return all;
  };
  CHECK(envs(emus) == envs(reals));
}

}  // namespace
}  // namespace ptsim::elastic
