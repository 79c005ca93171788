// Benchmark: a worker dies -> the restarted worker group is exec'd, under the
// emulated elastic agent and under real torchrun (/usr/bin/torchrun, with the
// Python 3.11 workaround PET_REDIRECTS=9:1 PET_TEE=9:1), both with
// --monitor_interval 0.1, side by side in one run. Not a pass/fail test: it
// prints a table of medians and their ratio. Run it with
// `./build/bin/elastic_restart_perftest [runs]` (default 5 runs per side).
//
// The worker is a shell script printing wall-clock timestamps (date +%s%N):
// on attempt 0 rank 1 prints "die <ns>" and exits 1 while rank 0 sleeps;
// every worker of attempt 1 prints "start <ns>" and exits 0. The restart
// latency is the first attempt-1 start minus the death.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "fakes/elastic/elastic_agent_runner.hpp"
#include "fakes/process/real_process_runner.hpp"
#include "sim/core/event_loop.hpp"
#include "sim/core/wall_clock.hpp"

namespace ptsim {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kTorchrun = "/usr/bin/torchrun";
constexpr const char* kWorker = R"SH(#!/bin/sh
if [ "$TORCHELASTIC_RESTART_COUNT" = 0 ]; then
  if [ "$RANK" = 1 ]; then echo "die $(date +%s%N)"; exit 1; fi
  exec sleep 30
fi
echo "start $(date +%s%N)"
)SH";

struct Sample {
  double restart_ms = 0;  // death -> first restarted worker running
  double total_ms = 0;    // torchrun started -> torchrun exited
  int exit_code = -1;
};

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// One torchrun run through `runner` (the real one or the emulation).
std::optional<Sample> RunOnce(EventLoop& loop, ProcessRunner& runner, const std::string& worker,
                              const std::string& dir, int port) {
  ProcessSpec spec;
  spec.name = "default/bench/torchrun";  // namespace/pod/container, for traces
  spec.argv = {kTorchrun,
               "--nproc_per_node=2",
               "--max_restarts=1",
               "--monitor_interval=0.1",
               "--master_port=" + std::to_string(port),
               "--no_python",
               worker};
  spec.env = {"PATH=/usr/bin:/bin", "PET_REDIRECTS=9:1", "PET_TEE=9:1", "HOME=" + dir};
  spec.working_dir = dir;
  std::vector<std::string> lines;
  std::optional<ProcessExit> exit;
  const auto begin = Clock::now();  // wall-clock-ok: a benchmark measures wall time
  auto id = runner.Spawn(spec, {[&](std::string_view l) { lines.emplace_back(l); },
                                [&](const ProcessExit& e) { exit = e; }});
  if (!id.ok()) return std::nullopt;
  loop.Run(loop.Now() + std::chrono::seconds(60), [&] { return exit.has_value(); });
  const auto end = Clock::now();  // wall-clock-ok: a benchmark measures wall time
  if (!exit) return std::nullopt;
  long long died = 0;
  long long restarted = 0;
  for (const auto& l : lines) {
    if (l.rfind("die ", 0) == 0) died = std::atoll(l.c_str() + 4);
    if (l.rfind("start ", 0) == 0) {
      const long long t = std::atoll(l.c_str() + 6);
      if (restarted == 0 || t < restarted) restarted = t;
    }
  }
  if (died == 0 || restarted == 0) return std::nullopt;
  Sample s;
  s.restart_ms = static_cast<double>(restarted - died) / 1e6;
  s.total_ms = std::chrono::duration<double, std::milli>(end - begin).count();
  s.exit_code = exit->ExitCode();
  return s;
}

int Main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "ptsim-elastic-bench-XXXXXX").string();
  const std::string dir = ::mkdtemp(tmpl.data());
  const std::string worker = dir + "/worker.sh";
  std::ofstream(worker) << kWorker;
  ::chmod(worker.c_str(), 0755);

  std::string why;
  elastic::RealTorchProbe probe;
  const bool have_torch =
      ::access(kTorchrun, X_OK) == 0 &&
      probe.RealTorchrunUsable(*elastic::RecognizeTorchrun({kTorchrun, "x"}),
                               {"PATH=/usr/bin:/bin", "PET_REDIRECTS=9:1", "PET_TEE=9:1"}, &why);
  if (::access(kTorchrun, X_OK) != 0) why = std::string(kTorchrun) + " is not installed";

  SteadyWallClock wall;
  KernelPortAllocator ports;
  std::vector<Sample> emulated, real;
  for (int i = 0; i < runs; ++i) {
    {
      EventLoop loop(wall);
      RealProcessRunner processes(loop, {});
      elastic::RendezvousRegistry registry(loop);
      elastic::ElasticAgentRunner::Options o;
      o.policy = elastic::ElasticPolicy::kEmulate;
      o.agent.log_root = dir;
      elastic::ElasticAgentRunner agents(loop, processes, registry,
                                         Random(static_cast<std::uint64_t>(i)), o, {});
      if (auto s = RunOnce(loop, agents, worker, dir, ports.Allocate())) emulated.push_back(*s);
    }
    if (have_torch) {
      EventLoop loop(wall);
      RealProcessRunner processes(loop, {});
      if (auto s = RunOnce(loop, processes, worker, dir, ports.Allocate())) real.push_back(*s);
    }
  }

  auto medians = [](const std::vector<Sample>& v, double Sample::*field) {
    std::vector<double> xs;
    for (const auto& s : v)
      xs.push_back(s.*field);
    return Median(xs);
  };
  fmt::print(
      "worker death -> restarted worker group exec'd (--monitor_interval 0.1, {} runs each)\n\n",
      runs);
  fmt::print("{:<22} {:>5} {:>20} {:>18} {:>6}\n", "launcher", "runs", "restart median (ms)",
             "total median (ms)", "exit");
  auto row = [&](const std::string& name, const std::vector<Sample>& v) {
    fmt::print("{:<22} {:>5} {:>20.1f} {:>18.1f} {:>6}\n", name, v.size(),
               medians(v, &Sample::restart_ms), medians(v, &Sample::total_ms),
               v.empty() ? -1 : v.front().exit_code);
  };
  row("emulated agent", emulated);
  if (have_torch) {
    row("real torchrun 1.13", real);
    const double e = medians(emulated, &Sample::restart_ms);
    const double r = medians(real, &Sample::restart_ms);
    fmt::print("\nratio real/emulated: restart {:.2f}x, total {:.2f}x\n", e > 0 ? r / e : 0.0,
               medians(emulated, &Sample::total_ms) > 0
                   ? medians(real, &Sample::total_ms) / medians(emulated, &Sample::total_ms)
                   : 0.0);
  } else {
    fmt::print("\nreal torchrun: not measured ({})\n", why);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return 0;
}

}  // namespace
}  // namespace ptsim

int main(int argc, char** argv) {
  return ptsim::Main(argc, argv);
}
