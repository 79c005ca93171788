// Benchmarks of the ptsim engine. Not pass/fail tests: this prints a table of
// medians, percentiles and ratios measured side by side in one run. Run it
// with `./build/bin/engine_perftest`; `--quick` runs smaller sizes.
//
//  1. pod created -> container process exec'd, p50/p99 over 64 pods, against
//     plain posix_spawn of the same binary in the same run. ptsim's clock
//     stops when the kubelet reports the container started, right after the
//     vfork'd child has exec'd (as posix_spawn's returns); the scheduler,
//     kubelet admission, env and volume planning and the Started event are
//     inside the window; the log file's directories and open (posted to run
//     after the exec) and the pod status write that follows are not;
//  2. 10,000 scripted pods, each failing once and restarted by OnFailure;
//  3. time compression: a scripted run whose timers span 1h of virtual time;
//  4. idle supervision: ptsim's own CPU while 64 real processes sleep 10s;
//  5. memory per scripted pod at 10,000 pods.
#include <fmt/format.h>
#include <malloc.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sim/harness/simulation.hpp"
#include "sim/model/pod.hpp"

extern char** environ;

namespace ptsim {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

long long RssKiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return 0;
}

Pod MakePod(const std::string& name, std::vector<std::string> command, const std::string& policy,
            const std::string& script = "") {
  Pod pod;
  pod.metadata.name = name;
  pod.spec.restart_policy = policy;
  Container c;
  c.name = "main";
  c.image = "bench";
  c.command = std::move(command);
  pod.spec.containers.push_back(std::move(c));
  if (!script.empty()) pod.metadata.annotations["script.ptsim.io/main"] = script;
  return pod;
}

SimulationOptions Options(int nodes, const std::string& run_dir) {
  SimulationOptions o;
  o.run_dir = run_dir;
  for (int i = 0; i < nodes; ++i)
    o.nodes.push_back(DefaultNode(fmt::format("node-{}", i)));
  o.processes.base_env = {"PATH=/usr/bin:/bin"};
  return o;
}

struct StartRecorder final : KubeletObserver {
  std::vector<Clock::time_point> started;
  void ContainerStarted(const ContainerIncarnation&) override { started.push_back(Clock::now()); }
};

// 1. Pod created -> container exec'd, vs posix_spawn.
void SpawnLatency(int pods, const std::string& dir) {
  std::vector<double> ptsim_us;
  {
    Simulation sim(Options(1, dir));
    StartRecorder rec;
    sim.AddObserver(&rec);
    for (int i = 0; i < pods; ++i) {
      const auto before = Clock::now();
      sim.api().collection<Pod>().Create(MakePod(fmt::format("p{}", i), {"/bin/true"}, "Never"));
      const std::size_t want = rec.started.size() + 1;
      sim.loop().Run(kNever, [&] { return rec.started.size() >= want; });
      ptsim_us.push_back(Seconds(rec.started.back() - before) * 1e6);
      // Let it exit and be reaped before the next one.
      sim.loop().Run(kNever, [&] {
        auto p = sim.api().collection<Pod>().Get("default", fmt::format("p{}", i));
        return p && p->IsTerminal();
      });
    }
  }
  std::vector<double> spawn_us;
  for (int i = 0; i < pods; ++i) {
    char arg0[] = "/bin/true";
    char* argv[] = {arg0, nullptr};
    pid_t pid = 0;
    const auto before = Clock::now();
    ::posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ);
    spawn_us.push_back(Seconds(Clock::now() - before) * 1e6);
    ::waitpid(pid, nullptr, 0);
  }
  const double p50 = Percentile(ptsim_us, 0.5), p99 = Percentile(ptsim_us, 0.99);
  const double s50 = Percentile(spawn_us, 0.5), s99 = Percentile(spawn_us, 0.99);
  fmt::print(
      "| 1 | pod created -> process exec'd ({} pods, /bin/true) | ptsim p50 {:.0f} us, p99 {:.0f} "
      "us; "
      "posix_spawn p50 {:.0f} us, p99 {:.0f} us | ratio p50 {:.2f}, p99 {:.2f} | ratio <= 1.5 |\n",
      pods, p50, p99, s50, s99, p50 / s50, p99 / s99);
}

// 2. N scripted pods, each failing once and restarted in place by OnFailure.
void ScriptedLifecycles(int pods, const std::string& dir) {
  const int nodes = (pods + 109) / 110;
  Simulation sim(Options(nodes, dir));
  sim.trace().set_keep(false);
  sim.api().events().set_keep(false);
  const auto before = Clock::now();
  for (int i = 0; i < pods; ++i) {
    sim.api().collection<Pod>().Create(
        MakePod(fmt::format("p{}", i), {}, "OnFailure", "run 30s, exit 1 | run 30s, exit 0"));
  }
  std::size_t succeeded = 0;
  sim.api().collection<Pod>().Watch([&](const WatchEvent<Pod>& e) {
    if (e.type == WatchEventType::kModified && e.object->status.phase == "Succeeded" &&
        (!e.old || e.old->status.phase != "Succeeded")) {
      ++succeeded;
    }
  });
  sim.loop().Run(kNever, [&] { return succeeded == static_cast<std::size_t>(pods); });
  const double wall = Seconds(Clock::now() - before);
  fmt::print(
      "| 2 | {} scripted pods, each failing once, OnFailure restart, to Succeeded | {:.3f} s wall, "
      "{:.0f} s virtual, {} callbacks | {:.0f} pod lifecycles/s | < 1 s (>= 10,000/s) |\n",
      pods, wall, ToSeconds(sim.loop().Now()), sim.loop().callbacks_run(), pods / wall);
}

// 3. A scripted run whose timers span an hour of virtual time.
void TimeCompression(const std::string& dir) {
  Simulation sim(Options(1, dir));
  const auto before = Clock::now();
  // Crash-looping for an hour: back-off timers up to 300s, restarts every 5 minutes.
  sim.api().collection<Pod>().Create(MakePod("looper", {}, "Always", "run 1s, exit 1"));
  sim.api().collection<Pod>().Create(MakePod("long", {}, "Never", "run 3600s, exit 0"));
  sim.loop().Run(kRunStart + std::chrono::hours(1));
  const double wall = Seconds(Clock::now() - before);
  auto looper = sim.api().collection<Pod>().Get("default", "looper");
  fmt::print(
      "| 3 | time compression: timers spanning {:.0f} s of virtual time ({} restarts) | {:.4f} s "
      "wall | "
      "{:.0f}x | < 0.1 s |\n",
      ToSeconds(sim.loop().Now()), looper->status.container_statuses[0].restart_count, wall,
      ToSeconds(sim.loop().Now()) / wall);
}

// 4. ptsim's CPU while N real processes sleep.
void IdleSupervision(int processes, double seconds, const std::string& dir) {
  Simulation sim(Options(1, dir));
  for (int i = 0; i < processes; ++i) {
    sim.api().collection<Pod>().Create(
        MakePod(fmt::format("s{}", i), {"sleep", fmt::format("{}", seconds)}, "Never"));
  }
  // Wait until all have started, then measure while they sleep.
  sim.loop().Run(kNever, [&] {
    for (const auto& p : sim.api().collection<Pod>().List()) {
      if (p->status.phase != "Running") return false;
    }
    return true;
  });
  const auto wall_before = Clock::now();
  const Duration cpu_before = ProcessCpuTime();
  sim.loop().Run(kNever, [&] {
    for (const auto& p : sim.api().collection<Pod>().List()) {
      if (!p->IsTerminal()) return false;
    }
    return true;
  });
  const double wall = Seconds(Clock::now() - wall_before);
  const double cpu = ToSeconds(ProcessCpuTime() - cpu_before);
  fmt::print(
      "| 4 | idle supervision: {} real processes sleeping {:.0f} s | {:.3f} s CPU over {:.2f} s "
      "wall | "
      "{:.3f}% of a core | < 1% |\n",
      processes, seconds, cpu, wall, 100 * cpu / wall);
}

// 5. Memory per scripted pod (printed first: it must run in a fresh heap).
void MemoryPerPod(int pods, const std::string& dir) {
  const int nodes = (pods + 109) / 110;
  Simulation sim(Options(nodes, dir));
  sim.trace().set_keep(false);
  sim.api().events().set_keep(false);
  sim.loop().Run(sim.loop().Now());
  ::malloc_trim(0);
  const long long before = RssKiB();
  const std::size_t heap_before = ::mallinfo2().uordblks;
  for (int i = 0; i < pods; ++i) {
    sim.api().collection<Pod>().Create(MakePod(fmt::format("p{}", i), {}, "Always", "forever"));
  }
  sim.loop().Run(kRunStart + std::chrono::seconds(10));
  std::size_t running = 0;
  for (const auto& p : sim.api().collection<Pod>().List())
    running += p->status.phase == "Running" ? 1 : 0;
  // Freed memory the allocator keeps cached is not the pods' cost: trim it first.
  ::malloc_trim(0);
  const long long after = RssKiB();
  const std::size_t heap_after = ::mallinfo2().uordblks;
  fmt::print(
      "| 5 | memory per scripted pod ({} pods, {} running) | RSS +{} KiB, heap in use +{} KiB | "
      "{:.2f} KiB/pod (RSS), {:.2f} KiB/pod (heap) | < 4 KiB |\n",
      pods, running, after - before, (heap_after - heap_before) / 1024,
      static_cast<double>(after - before) / pods,
      static_cast<double>(heap_after - heap_before) / 1024.0 / pods);
}

}  // namespace
}  // namespace ptsim

int main(int argc, char** argv) {
  bool quick = false;
  std::set<std::string> only;  // benchmark names to run; all when empty
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else {
      only.insert(argv[i]);
    }
  }
  auto want = [&](const char* name) { return only.empty() || only.count(name) > 0; };
  char tmpl[] = "/tmp/ptsim-bench-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  fmt::print("ptsim engine benchmarks ({} run; machine: {} cores)\n\n", quick ? "quick" : "full",
             std::thread::hardware_concurrency());
  fmt::print("| # | benchmark | measured | result | goal |\n|---|---|---|---|---|\n");
  // Memory first, so that no earlier benchmark's freed heap hides the growth.
  if (want("memory")) ptsim::MemoryPerPod(quick ? 1000 : 10000, dir + "/memory");
  if (want("spawn")) ptsim::SpawnLatency(64, dir + "/spawn");
  if (want("lifecycles")) ptsim::ScriptedLifecycles(quick ? 1000 : 10000, dir + "/lifecycles");
  if (want("compression")) ptsim::TimeCompression(dir + "/compression");
  if (want("idle")) ptsim::IdleSupervision(64, quick ? 2 : 10, dir + "/idle");
  std::string cmd = "rm -rf " + dir;
  return std::system(cmd.c_str()) == 0 ? 0 : 1;
}
