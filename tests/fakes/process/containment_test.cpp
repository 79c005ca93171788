// Containment: every process a container starts ends with it, however it
// detaches itself, as the container's cgroup and pid namespace make sure on a
// node (fakes/process/container_shim_main.cpp, docs/reliability.md section 1).
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

#include "fakes/process/container_log.hpp"
#include "fakes/process/container_shim.hpp"
#include "fakes/process/memory_cgroups.hpp"
#include "fakes/process/proc_scan.hpp"
#include "fakes/process/real_process_runner.hpp"
#include "tests/support/temp_dir.hpp"

namespace ptsim {
namespace {

using testing::TempDir;

std::string Shim() {
  std::string why;
  std::string shim = FindContainerShim(&why);
  INFO(why);
  REQUIRE_FALSE(shim.empty());
  return shim;
}

// Every detached process below carries this entry, set after `env -i`, so the
// test (and not ptsim, which looks for PTSIM_RUN) can find survivors.
std::string DaemonMark() {
  return "PTSIM_TEST_DAEMON=" + std::to_string(::getpid());
}

// A container whose main process starts `count` daemons, each in the classic
// way: a subshell forks it in the background and exits (double fork), it makes
// a session of its own (setsid), closes its output and clears its environment
// (env -i). The main process waits until all are running, says "ready", then
// runs `then`.
std::string Daemonizer(int count, const std::string& dir, const std::string& then) {
  return "i=0; while [ $i -lt " + std::to_string(count) + " ]; do i=$((i+1)); (setsid env -i " +
         DaemonMark() + " sh -c 'echo $$ >> " + dir +
         "/daemons; exec sleep 30' <&- >&- 2>&- &); done; "
         "until [ \"$(wc -l < " +
         dir + "/daemons 2>/dev/null)\" = " + std::to_string(count) +
         " ]; do sleep 0.01; done; echo ready; " + then;
}

struct Run {
  SteadyWallClock wall;
  EventLoop loop{wall};
  std::optional<RealProcessRunner> runner;
  std::optional<ProcessExit> exit;
  bool ready = false;
  ProcessId id = 0;

  Run(RealProcessRunner::Options options) { runner.emplace(loop, std::move(options)); }

  void Start(const std::string& script, std::int64_t memory_limit = 0) {
    ProcessSpec spec;
    spec.name = "daemonizer";
    spec.argv = {"/bin/sh", "-c", script};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.memory_limit_bytes = memory_limit;
    auto started = runner->Spawn(spec, {[&](std::string_view l) { ready |= l == "ready"; },
                                        [&](const ProcessExit& e) { exit = e; }});
    REQUIRE(started.ok());
    id = *started;
  }
  void WaitReady() {
    loop.Run(loop.Now() + Seconds(30), [&] { return ready || exit.has_value(); });
    REQUIRE(ready);
  }
  void WaitExit() {
    loop.Run(loop.Now() + Seconds(30), [&] { return exit.has_value(); });
    REQUIRE(exit);
  }
};

TEST_CASE(
    "a daemon that double-forks, leaves its session and clears its environment ends with "
    "its container") {
  TempDir dir;
  MemoryCgroups none("containment-" + std::to_string(::getpid()), MemoryCgroups::Use::kNone);
  MemoryCgroups probed("containment-" + std::to_string(::getpid()));
  RealProcessRunner::Options options;
  options.shim = Shim();
  std::int64_t limit = 0;
  // Containment does not depend on cgroups: the same with none, and with the
  // machine's memory cgroups (cgroup v1 here when writable) for a limited container.
  SECTION("without a memory limit") {}
  SECTION("with a memory limit, no cgroups (sampling)") {
    options.cgroups = &none;
    limit = 512 << 20;
  }
  SECTION("with a memory limit, the machine's cgroups") {
    INFO(probed.Describe());
    options.cgroups = &probed;
    limit = 512 << 20;
  }
  Run run(options);
  run.Start(Daemonizer(3, dir.path(), "exit 3"), limit);
  run.WaitExit();
  CHECK(run.ready);
  CHECK(run.exit->ExitCode() == 3);
  // The shim has killed and reaped them before the exit is reported.
  CHECK(ProcessesWithEnv(DaemonMark()).empty());
}

TEST_CASE("a container killed with SIGKILL takes its detached daemons with it") {
  TempDir dir;
  RealProcessRunner::Options options;
  options.shim = Shim();
  Run run(options);
  run.Start(Daemonizer(2, dir.path(), "exec sleep 30"));
  run.WaitReady();
  REQUIRE(ProcessesWithEnv(DaemonMark()).size() == 2);
  run.runner->Signal(run.id, SIGKILL);
  run.WaitExit();
  CHECK(run.exit->Signal() == SIGKILL);
  CHECK(ProcessesWithEnv(DaemonMark()).empty());
}

TEST_CASE("a container that forks hundreds of detached children takes them all with it") {
  TempDir dir;
  RealProcessRunner::Options options;
  options.shim = Shim();
  Run run(options);
  run.Start(Daemonizer(200, dir.path(), "exit 0"));
  run.WaitExit();
  CHECK(run.ready);
  CHECK(run.exit->ExitCode() == 0);
  CHECK(ProcessesWithEnv(DaemonMark()).empty());
  CHECK(run.runner->alive() == 0);
}

TEST_CASE("a signal sent to a shim's pid from outside ptsim reaches the container") {
  RealProcessRunner::Options options;
  options.shim = Shim();
  Run run(options);
  run.Start("trap 'echo ready; exit 7' TERM; while :; do sleep 0.01; done");
  run.loop.Run(run.loop.Now() + Millis(200));
  // What `kill <pid>` of the pid in the trace does, from a shell (another
  // process group than ptsim's): the shim passes it on.
  const pid_t shim = run.runner->Pid(run.id);
  const pid_t sender = ::fork();
  if (sender == 0) {
    ::setpgid(0, 0);
    ::kill(shim, SIGTERM);
    ::_exit(0);
  }
  ::waitpid(sender, nullptr, 0);
  run.WaitExit();
  CHECK(run.exit->ExitCode() == 7);
}

TEST_CASE("a program the shim cannot execute is refused at spawn with the system's reason") {
  TempDir dir;
  const std::string junk = dir.path() + "/junk";
  std::ofstream(junk) << "\x7f"
                      << "not a program\n";
  ::chmod(junk.c_str(), 0755);
  RealProcessRunner::Options options;
  options.shim = Shim();
  SteadyWallClock wall;
  EventLoop loop{wall};
  RealProcessRunner runner{loop, options};
  ProcessSpec spec;
  spec.name = "ns/pod/c";
  spec.argv = {junk};
  auto id = runner.Spawn(spec, {});
  REQUIRE_FALSE(id.ok());
  CHECK(id.diagnostics().Render().find("cannot start " + junk + ": Exec format error") !=
        std::string::npos);
  CHECK(runner.alive() == 0);
}

}  // namespace
}  // namespace ptsim

namespace ptsim {
namespace {

// The open-file limit of this process lowered for a scope.
struct DescriptorLimit {
  rlimit saved{};
  explicit DescriptorLimit(rlim_t soft) {
    ::getrlimit(RLIMIT_NOFILE, &saved);
    rlimit lowered = saved;
    lowered.rlim_cur = soft;
    ::setrlimit(RLIMIT_NOFILE, &lowered);
  }
  ~DescriptorLimit() { ::setrlimit(RLIMIT_NOFILE, &saved); }
};

TEST_CASE("a spawn at the open-file limit fails with EMFILE named, not a misleading call",
          "[descriptor-exhaustion]") {
  SteadyWallClock wall;
  EventLoop loop{wall};
  RealProcessRunner::Options options;
  options.shim = Shim();
  RealProcessRunner runner{loop, options};
  ProcessSpec spec;
  spec.name = "ns/pod/c";
  spec.argv = {"/bin/true"};
  // Just above what is open now: the spawn runs out of descriptors part-way,
  // wherever that is (the output pipe, the exec-error pipe, /dev/null in the child).
  const auto open_now = static_cast<rlim_t>(OpenDescriptors(::getpid()).size());
  for (rlim_t spare = 0; spare < 5; ++spare) {
    INFO("spare descriptors: " << spare);
    Result<ProcessId> id = [&] {
      DescriptorLimit limit(open_now + spare);
      return runner.Spawn(spec, {});
    }();
    REQUIRE_FALSE(id.ok());
    const std::string text = id.diagnostics().Render();
    INFO(text);
    CHECK(text.find("too many open files (EMFILE)") != std::string::npos);
    CHECK(text.find("ulimit -n") != std::string::npos);
  }
  CHECK(runner.alive() == 0);
}

}  // namespace
}  // namespace ptsim

namespace ptsim {
namespace {

long long PeakResidentBytes() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

TEST_CASE("a container that closes its output ends normally, reported with its exit code") {
  RealProcessRunner::Options options;
  options.shim = Shim();
  Run run(options);
  std::vector<std::string> lines;
  ProcessSpec spec;
  spec.name = "closer";
  spec.argv = {"/bin/sh", "-c", "echo before; exec >&- 2>&-; sleep 0.3; exit 5"};
  auto id = run.runner->Spawn(spec, {[&](std::string_view l) { lines.emplace_back(l); },
                                     [&](const ProcessExit& e) { run.exit = e; }});
  REQUIRE(id.ok());
  run.WaitExit();
  CHECK(run.exit->ExitCode() == 5);
  CHECK(lines == std::vector<std::string>{"before"});
}

TEST_CASE("a container flooding stderr leaves ptsim responsive and its memory flat") {
  TempDir dir;
  RealProcessRunner::Options options;
  options.shim = Shim();
  options.log_policy = {1 << 20, 2};
  Run run(options);
  std::size_t lines = 0;
  ProcessSpec spec;
  spec.name = "flood";
  spec.argv = {"/bin/sh", "-c", "exec yes 'flooding stderr with a line of some length' >&2"};
  spec.log_path = dir.path() + "/flood/0.log";
  auto id = run.runner->Spawn(
      spec, {[&](std::string_view) { ++lines; }, [&](const ProcessExit& e) { run.exit = e; }});
  REQUIRE(id.ok());
  const long long peak_before = PeakResidentBytes();
  // A timer every 100 ms: the loop keeps its appointments while the flood goes
  // on (20 in 2 s when idle; 8 leaves room for a loaded machine).
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    run.loop.After(Millis(100), tick);
  };
  run.loop.After(Millis(100), tick);
  const Time start = run.loop.Now();
  run.loop.Run(start + Seconds(2));
  CHECK(ticks >= 8);
  CHECK(lines > 10'000);
  run.runner->Signal(*id, SIGKILL);
  run.WaitExit();
  CHECK(run.exit->Signal() == SIGKILL);
  CHECK(PeakResidentBytes() - peak_before < (8 << 20));
  // The log on disk stays within its cap (2 files of 1 MiB).
  std::uintmax_t on_disk = 0;
  for (const auto& file : KeptLogFiles(spec.log_path))
    on_disk += std::filesystem::file_size(file);
  CHECK(on_disk <= (2u << 20));
}

}  // namespace
}  // namespace ptsim
