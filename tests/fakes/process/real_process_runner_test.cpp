#include "fakes/process/real_process_runner.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "fakes/process/container_shim.hpp"
#include "fakes/process/proc_scan.hpp"

namespace ptsim {
namespace {

// Every process under ptsim-shim, as `ptsim run` starts them.
RealProcessRunner::Options UnderShim() {
  RealProcessRunner::Options options;
  std::string why;
  options.shim = FindContainerShim(&why);
  INFO(why);
  REQUIRE_FALSE(options.shim.empty());
  return options;
}

struct Fixture {
  SteadyWallClock wall;
  EventLoop loop{wall};
  RealProcessRunner runner{loop, UnderShim()};

  struct Outcome {
    std::vector<std::string> lines;
    std::optional<ProcessExit> exit;
  };

  // Runs `script` under sh and waits for it in the loop.
  Outcome RunShell(const std::string& script, std::int64_t memory_limit = 0,
                   const std::string& log_path = "") {
    Outcome out;
    ProcessSpec spec;
    spec.name = "test";
    spec.argv = {"/bin/sh", "-c", script};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.memory_limit_bytes = memory_limit;
    spec.log_path = log_path;
    auto id = runner.Spawn(spec, {[&](std::string_view l) { out.lines.emplace_back(l); },
                                  [&](const ProcessExit& e) { out.exit = e; }});
    REQUIRE(id.ok());
    loop.Run(kRunStart + Seconds(20), [&] { return out.exit.has_value(); });
    return out;
  }
};

std::vector<int> Zombies() {
  std::vector<int> out;
  for (const auto& p : ListProcesses()) {
    if (p.ppid == ::getpid() && p.state == 'Z') out.push_back(p.pid);
  }
  return out;
}

TEST_CASE_METHOD(Fixture, "a real process's exit code and output lines are reported") {
  auto out = RunShell("echo one; echo two >&2; printf three; exit 3");
  REQUIRE(out.exit);
  CHECK(out.exit->kind == ProcessExit::Kind::kExited);
  CHECK(out.exit->ExitCode() == 3);
  CHECK(out.lines == std::vector<std::string>{"one", "two", "three"});
  CHECK(Zombies().empty());
}

// The child's environment is built by the runner itself (Boost.Process 1.74's
// bp::environment over-reads the heap, boostorg/process#122; the ASan build
// catches it there). A later entry overrides an earlier one in place.
TEST_CASE_METHOD(Fixture, "a child's environment has each name once, at its place, last value") {
  Outcome out;
  ProcessSpec spec;
  spec.name = "env";
  spec.argv = {"/usr/bin/env"};
  spec.env = {"A=1", "PATH=/usr/bin:/bin", "B=", "A=3", "no-equals-sign", "=nameless", "C=x=y"};
  auto id = runner.Spawn(spec, {[&](std::string_view l) { out.lines.emplace_back(l); },
                                [&](const ProcessExit& e) { out.exit = e; }});
  REQUIRE(id.ok());
  loop.Run(kRunStart + Seconds(20), [&] { return out.exit.has_value(); });
  REQUIRE(out.exit);
  CHECK(out.exit->ExitCode() == 0);
  CHECK(out.lines == std::vector<std::string>{"A=3", "PATH=/usr/bin:/bin", "B=", "C=x=y"});
}

TEST_CASE_METHOD(Fixture, "every line reaches the log file, whose directories are made") {
  char tmpl[] = "/tmp/ptsim-log-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const std::string path = dir + "/pod/main/0.log";
  // Output written at once and a process that exits at once: the log is
  // opened after the exec, before any output or the exit is handled.
  auto out = RunShell("echo one; echo two >&2; exit 0", 0, path);
  REQUIRE(out.exit);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "one\ntwo\n");
  // The next incarnation appends to its own file in the same directory.
  auto silent = RunShell("exit 0", 0, dir + "/pod/main/1.log");
  REQUIRE(silent.exit);
  CHECK(std::filesystem::exists(dir + "/pod/main/1.log"));
  std::filesystem::remove_all(dir);
}

TEST_CASE_METHOD(Fixture, "a log that cannot be opened leaves the process running") {
  // A directory cannot be made under a regular file.
  auto out = RunShell("echo still; exit 4", 0, "/dev/null/pod/main/0.log");
  REQUIRE(out.exit);
  CHECK(out.exit->ExitCode() == 4);
  CHECK(out.lines == std::vector<std::string>{"still"});
  CHECK(Zombies().empty());
}

TEST_CASE_METHOD(Fixture, "a process killed by a signal reports the signal, not an exit code") {
  auto killed = RunShell("kill -KILL $$");
  REQUIRE(killed.exit);
  CHECK(killed.exit->kind == ProcessExit::Kind::kSignaled);
  CHECK(killed.exit->Signal() == SIGKILL);
  CHECK(killed.exit->ExitCode() == 137);
  auto segv = RunShell("kill -SEGV $$");
  CHECK(segv.exit->ExitCode() == 139);
  auto plain = RunShell("exit 9");  // must not be confused with SIGKILL
  CHECK(plain.exit->kind == ProcessExit::Kind::kExited);
  CHECK(plain.exit->ExitCode() == 9);
}

TEST_CASE_METHOD(Fixture, "a child inherits no descriptor beyond stdin, stdout and stderr") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);  // not close-on-exec
  auto out = RunShell("ls /proc/self/fd");
  ::close(fds[0]);
  ::close(fds[1]);
  // ls itself opens one descriptor for the directory it lists.
  std::vector<std::string> expected = {"0", "1", "2", "3"};
  CHECK(out.lines == expected);
}

TEST_CASE_METHOD(Fixture, "a container's background processes die with its main process") {
  auto out = RunShell("sleep 30 & echo $!; exit 0");
  REQUIRE(out.exit);
  REQUIRE(out.lines.size() == 1);
  const int background = std::stoi(out.lines[0]);
  // Killed, then reaped by whoever adopted it; poll /proc until it is gone.
  bool gone = false;
  auto hold = loop.HoldRealTime();  // poll in real time
  for (int i = 0; i < 200 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(background) + "/stat");
    std::string line;
    gone = !std::getline(stat, line) || line.find(") Z ") != std::string::npos;
    if (!gone) loop.Run(loop.Now() + Millis(10));
  }
  CHECK(gone);
}

TEST_CASE_METHOD(Fixture, "SIGSTOP freezes a process and lets virtual time jump") {
  ProcessSpec spec;
  spec.name = "sleeper";
  spec.argv = {"/bin/sleep", "30"};
  std::optional<ProcessExit> exit;
  auto id = runner.Spawn(spec, {{}, [&](const ProcessExit& e) { exit = e; }});
  REQUIRE(id.ok());
  CHECK(loop.real_time());
  runner.Signal(*id, SIGSTOP);
  CHECK_FALSE(loop.real_time());
  // With the only process frozen, an hour of virtual time passes instantly.
  bool fired = false;
  loop.After(Seconds(3600), [&] { fired = true; });
  loop.Run(kNever, [&] { return fired; });
  CHECK(fired);
  CHECK_FALSE(exit);
  runner.Signal(*id, SIGKILL);
  loop.Run(kNever, [&] { return exit.has_value(); });
  CHECK(exit->Signal() == SIGKILL);
  CHECK(Zombies().empty());
}

// Regression: Boost's sigchld service runs the exit handler inline when the
// child is gone before the wait is registered from inside the io_context (an
// immediate restart of a process that dies at once); the exit used to be lost
// and the chain below stalled until its deadline.
TEST_CASE_METHOD(Fixture,
                 "processes respawned from inside the loop as they exit are all reported") {
  constexpr int kChain = 200;
  int exits = 0;
  ProcessSpec spec;
  spec.name = "quick";
  spec.argv = {"/bin/true"};
  std::function<void()> spawn_next = [&] {
    auto id = runner.Spawn(spec, {{}, [&](const ProcessExit& e) {
                                    CHECK(e.ExitCode() == 0);
                                    if (++exits < kChain) spawn_next();
                                  }});
    REQUIRE(id.ok());
  };
  loop.Post([&] { spawn_next(); });
  loop.Run(kRunStart + Seconds(30), [&] { return exits == kChain; });
  CHECK(exits == kChain);
  CHECK(runner.alive() == 0);
  CHECK(Zombies().empty());
}

TEST_CASE_METHOD(Fixture, "an executable that does not exist is refused at spawn") {
  ProcessSpec spec;
  spec.name = "ns/pod/c";
  spec.argv = {"definitely-not-a-command-ptsim"};
  spec.env = {"PATH=/usr/bin:/bin"};
  auto id = runner.Spawn(spec, {});
  REQUIRE_FALSE(id.ok());
  CHECK(id.diagnostics().Render().find("executable file not found in $PATH") != std::string::npos);
  char path[] = "/tmp/ptsim-not-executable-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  ProcessSpec not_exec = spec;
  not_exec.argv = {path};
  auto id2 = runner.Spawn(not_exec, {});
  REQUIRE_FALSE(id2.ok());
  CHECK(id2.diagnostics().Render().find("permission denied") != std::string::npos);
  ::unlink(path);
}

}  // namespace
}  // namespace ptsim

namespace ptsim {
namespace {

// Allocates and touches 300 MiB, well past the 64 MiB limit.
const char kAllocate[] = "b = bytearray(300 * 1024 * 1024); print('survived', len(b))";

void ExpectOomKill(RealProcessRunner& runner, EventLoop& loop) {
  ProcessSpec spec;
  spec.name = "hog";
  spec.argv = {"/usr/bin/python3", "-c", kAllocate};
  spec.memory_limit_bytes = 64 << 20;
  std::optional<ProcessExit> exit;
  std::vector<std::string> lines;
  auto id = runner.Spawn(spec, {[&](std::string_view l) { lines.emplace_back(l); },
                                [&](const ProcessExit& e) { exit = e; }});
  REQUIRE(id.ok());
  loop.Run(loop.Now() + Seconds(30), [&] { return exit.has_value(); });
  REQUIRE(exit);
  CHECK(exit->oom_killed);
  CHECK(exit->ExitCode() == 137);
  CHECK(lines.empty());
}

TEST_CASE("a process that allocates past its memory limit is OOM-killed (cgroup or sampling)") {
  SteadyWallClock wall;
  EventLoop loop(wall);
  MemoryCgroups cgroups("test-" + std::to_string(::getpid()));
  INFO("mechanism: " << cgroups.Describe());
  RealProcessRunner runner(loop, {"", nullptr, &cgroups, ""});
  ExpectOomKill(runner, loop);
}

TEST_CASE("without cgroups the memory limit is enforced by sampling /proc") {
  SteadyWallClock wall;
  EventLoop loop(wall);
  RealProcessRunner runner(loop, {});
  ExpectOomKill(runner, loop);
}

}  // namespace
}  // namespace ptsim

namespace ptsim {
namespace {

// The peak resident memory of this test process (VmHWM), in bytes.
long long PeakResidentBytes() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

struct LogRun {
  std::size_t pieces = 0;
  std::size_t bytes = 0;
  std::size_t longest = 0;
  std::vector<std::string> rotated;
  std::optional<ProcessExit> exit;
};

// Runs `script` under a runner with `policy`, counting what on_output gets
// (without keeping it: the test measures ptsim's memory).
LogRun RunLogged(const std::string& script, const std::string& log_path,
                 ContainerLogPolicy policy = {}) {
  SteadyWallClock wall;
  EventLoop loop{wall};
  RealProcessRunner::Options options;
  options.log_policy = policy;
  RealProcessRunner runner{loop, options};
  LogRun run;
  ProcessSpec spec;
  spec.name = "logged";
  spec.argv = {"/bin/sh", "-c", script};
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.log_path = log_path;
  ProcessRunner::Callbacks callbacks;
  callbacks.on_output = [&](std::string_view l) {
    ++run.pieces;
    run.bytes += l.size();
    run.longest = std::max(run.longest, l.size());
  };
  callbacks.on_exit = [&](const ProcessExit& e) { run.exit = e; };
  callbacks.on_log_rotated = [&](const std::string& path) { run.rotated.push_back(path); };
  auto id = runner.Spawn(spec, std::move(callbacks));
  REQUIRE(id.ok());
  loop.Run(kRunStart + Seconds(60), [&] { return run.exit.has_value(); });
  return run;
}

// containerd's CRI logger writes a line longer than 16 KiB as partial entries
// of 16 KiB (pkg/cri/io/logger.go); reading it must not rescan the line.
TEST_CASE("a line without a newline is cut into 16 KiB pieces in linear time and memory") {
  char tmpl[] = "/tmp/ptsim-log-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const std::string path = dir + "/0.log";
  const long long peak_before = PeakResidentBytes();
  const auto start = std::chrono::steady_clock::now();
  auto run = RunLogged("head -c 4194304 /dev/zero | tr '\\0' x", path);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(run.exit);
  CHECK(run.exit->ExitCode() == 0);
  CHECK(run.bytes == 4194304);
  CHECK(run.pieces == 256);
  CHECK(run.longest == 16384);
  CHECK(took < std::chrono::seconds(2));
  // Nothing holds the whole line: the peak grows by far less than its 4 MiB.
  CHECK(PeakResidentBytes() - peak_before < 2 * 1024 * 1024);
  std::ifstream in(path);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    CHECK(line.size() == 16384);
  }
  CHECK(lines == 256);
  std::filesystem::remove_all(dir);
}

// The kubelet's container log manager rotates at containerLogMaxSize and keeps
// containerLogMaxFiles files (pkg/kubelet/logs/container_log_manager.go).
TEST_CASE("a container writing far more than its log cap keeps only the newest files") {
  char tmpl[] = "/tmp/ptsim-log-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const std::string path = dir + "/0.log";
  const long long peak_before = PeakResidentBytes();
  // 8 MiB in lines of 1 KiB against a cap of 3 files of 256 KiB.
  auto run = RunLogged("head -c 8388608 /dev/zero | tr '\\0' x | fold -w 1023; echo; echo last",
                       path, ContainerLogPolicy{256 * 1024, 3});
  REQUIRE(run.exit);
  CHECK(run.exit->ExitCode() == 0);
  CHECK(run.bytes == 8388608 + 4);
  CHECK(run.rotated.size() >= 30);
  // Far less than the 8 MiB written: the output is never held. AddressSanitizer
  // keeps freed blocks in its quarantine a while (measured: 2.4 MiB here), so
  // its bound is wider, still under half of what was written.
#ifdef PTSIM_SANITIZED
  constexpr long long kGrowthBound = 4 * 1024 * 1024;
#else
  constexpr long long kGrowthBound = 2 * 1024 * 1024;
#endif
  CHECK(PeakResidentBytes() - peak_before < kGrowthBound);
  std::uintmax_t kept = 0;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    kept += std::filesystem::file_size(entry.path());
    CHECK(std::filesystem::file_size(entry.path()) <= 256 * 1024);
    ++files;
  }
  CHECK(files == 3);
  CHECK(kept > 2 * 256 * 1024);
  CHECK(kept <= 3 * 256 * 1024);
  const auto files_kept = KeptLogFiles(path);
  REQUIRE(files_kept.size() == 3);
  CHECK(files_kept[1] == run.rotated.back());
  std::ifstream in(path);
  std::string last;
  for (std::string line; std::getline(in, line);)
    last = line;
  CHECK(last == "last");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ptsim

namespace ptsim {
namespace {

TEST_CASE("a log the disk cannot take is said so through on_log_error and the process runs on") {
  SteadyWallClock wall;
  EventLoop loop{wall};
  RealProcessRunner runner{loop, UnderShim()};
  std::vector<std::string> errors;
  std::optional<ProcessExit> exit;
  int lines = 0;
  ProcessSpec spec;
  spec.name = "full";
  spec.argv = {"/bin/sh", "-c", "i=0; while [ $i -lt 100 ]; do echo line $i; i=$((i+1)); done"};
  spec.log_path = "/dev/full";
  ProcessRunner::Callbacks callbacks{[&](std::string_view) { ++lines; },
                                     [&](const ProcessExit& e) { exit = e; }};
  callbacks.on_log_error = [&](const std::string& message) { errors.push_back(message); };
  REQUIRE(runner.Spawn(spec, std::move(callbacks)).ok());
  loop.Run(kRunStart + Seconds(20), [&] { return exit.has_value(); });
  REQUIRE(exit);
  CHECK(exit->ExitCode() == 0);
  CHECK(lines == 100);  // triggers and expectations still see every line
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("No space left on device") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
