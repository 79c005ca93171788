// No process outlives ptsim, as a user runs it: detached daemons of containers
// (double fork, setsid, `env -i`, closed output) end with their container and
// when ptsim itself is SIGKILLed, with one file or several in parallel (-j).
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fakes/process/proc_scan.hpp"
#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::Read;
using testing::TempDir;
using testing::Write;

// A pod whose container starts a daemon that clears its environment (keeping
// only TEST_MARK=<mark>, for the test to find it), writes its pid to
// <name>.pid, and then either exits (`then` = "exit 0") or keeps running.
std::string DaemonPod(const std::string& name, const std::string& mark, const std::string& then) {
  return fmt::format(R"(apiVersion: v1
kind: Pod
metadata: {{name: {0}}}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: [sh, -c, "(setsid env -i TEST_MARK={1} sh -c 'echo $$$$ > {0}.pid; exec sleep 60' <&- >&- 2>&- &); while [ ! -s {0}.pid ]; do sleep 0.01; done; {2}"]
)",
                     name, mark, then);
}

// `max_files`: ptsim's open-file limit (ulimit -n), 0 to keep this process's.
pid_t StartPtsim(const std::string& dir, const std::vector<std::string>& args,
                 rlim_t max_files = 0) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    if (max_files > 0) {
      rlimit limit{};
      ::getrlimit(RLIMIT_NOFILE, &limit);
      limit.rlim_cur = max_files;
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    const int out = ::open("ptsim.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(out, 2);
    std::vector<char*> argv{const_cast<char*>("ptsim")};
    for (const auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(PTSIM_CLI_PATH, argv.data());
    ::_exit(127);
  }
  return pid;
}

int WaitForPid(const std::string& path) {
  for (int i = 0; i < 2000; ++i) {
    int pid = 0;
    if (std::istringstream(Read(path)) >> pid && pid > 0) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

// Living (not zombie) processes with TEST_MARK=<mark>, after waiting up to `seconds` for none.
std::size_t LeftAfter(const std::string& mark, int seconds) {
  std::size_t alive = 0;
  for (int i = 0; i <= seconds * 50; ++i) {
    alive = 0;
    for (int pid : ProcessesWithEnv("TEST_MARK=" + mark)) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      alive += (std::getline(stat, line) && line.find(") Z ") == std::string::npos) ? 1 : 0;
    }
    if (alive == 0) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return alive;
}

TEST_CASE("a detached daemon that cleared its environment ends with its container") {
  TempDir dir;
  const std::string mark = fmt::format("daemon-{}", ::getpid());
  Write(dir.path() + "/d.yaml", DaemonPod("d", mark, "exit 0"));
  const auto run = testing::RunCli({"run", "d.yaml", "--runs-dir", "runs"}, dir.path());
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK(WaitForPid(dir.path() + "/d.pid") > 0);
  CHECK(LeftAfter(mark, 0) == 0);
}

TEST_CASE("no detached daemon outlives ptsim killed with SIGKILL, with one run or -j 2") {
  TempDir dir;
  const std::string mark = fmt::format("sigkill-{}", ::getpid());
  Write(dir.path() + "/a.yaml", DaemonPod("a", mark, "sleep 60"));
  Write(dir.path() + "/b.yaml", DaemonPod("b", mark, "sleep 60"));
  std::vector<std::string> args{"run", "a.yaml", "--runs-dir", "runs"};
  std::vector<std::string> pid_files{"a.pid"};
  SECTION("one run") {}
  SECTION("two runs in parallel") {
    args.insert(args.begin() + 2, {"b.yaml", "-j", "2"});
    pid_files.push_back("b.pid");
  }
  const pid_t ptsim = StartPtsim(dir.path(), args);
  REQUIRE(ptsim > 0);
  for (const auto& f : pid_files) {
    INFO(Read(dir.path() + "/ptsim.out"));
    REQUIRE(WaitForPid(dir.path() + "/" + f) > 0);
  }
  REQUIRE(LeftAfter(mark, 0) == pid_files.size());
  ::kill(ptsim, SIGKILL);
  ::waitpid(ptsim, nullptr, 0);
  CHECK(LeftAfter(mark, 10) == 0);
}

// Runs ptsim to its end in `dir`; returns its exit status and peak resident
// memory (ru_maxrss, KiB).
std::pair<int, long> RunMeasured(const std::string& dir, const std::vector<std::string>& args) {
  const pid_t pid = StartPtsim(dir, args);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, usage.ru_maxrss};
}

std::string Writer(const std::string& name, long bytes) {
  return fmt::format(R"(apiVersion: v1
kind: Pod
metadata: {{name: {0}}}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: [sh, -c, "head -c {1} /dev/zero | tr '\\0' x | fold -w 1023"]
)",
                     name, bytes);
}

TEST_CASE(
    "a whole run of a container writing 60 MiB keeps its log capped and ptsim's memory flat") {
  TempDir dir;
  Write(dir.path() + "/small.yaml", Writer("small", 1 << 10));
  Write(dir.path() + "/big.yaml", Writer("big", 60l << 20));
  const auto [small_status, small_kib] =
      RunMeasured(dir.path(), {"run", "small.yaml", "-q", "--runs-dir", "runs"});
  REQUIRE(small_status == 0);
  const auto [big_status, big_kib] = RunMeasured(
      dir.path(), {"run", "big.yaml", "-q", "--runs-dir", "runs", "--json", "big.json"});
  INFO(Read(dir.path() + "/ptsim.out"));
  REQUIRE(big_status == 0);
  INFO("peak resident memory: " << small_kib << " KiB writing 1 KiB, " << big_kib
                                << " KiB writing 60 MiB");
  CHECK(big_kib - small_kib < 16 * 1024);
  // The kubelet's defaults: 5 files of at most 10 MiB.
  const auto report = nlohmann::json::parse(Read(dir.path() + "/big.json"));
  const auto& run = report["pods"][0]["containers"][0]["runs"][0];
  CHECK(run["logRotations"].get<int>() >= 5);
  std::uintmax_t on_disk = 0;
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir.path() + "/runs/big")) {
    if (entry.path().filename().string().rfind("0.log", 0) == 0) {
      on_disk += entry.file_size();
      ++files;
    }
  }
  CHECK(files == 5);
  CHECK(on_disk <= 50u << 20);
}

TEST_CASE("containers that ptsim lacks descriptors to start end StartError with EMFILE named",
          "[descriptor-exhaustion]") {
  TempDir dir;
  std::string pods;
  for (int i = 0; i < 10; ++i) {
    pods += fmt::format(
        "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{}}}\nspec:\n  restartPolicy: "
        "Never\n  containers:\n  - {{name: c, image: busybox, command: [sh, -c, \"sleep "
        "0.5\"]}}\n",
        i);
  }
  Write(dir.path() + "/many.yaml", pods);
  // Enough for ptsim itself and a few containers, not for ten at once.
  const pid_t ptsim = StartPtsim(
      dir.path(), {"run", "many.yaml", "-q", "--runs-dir", "runs", "--json", "r.json"}, 24);
  int status = 0;
  ::waitpid(ptsim, &status, 0);
  INFO(Read(dir.path() + "/ptsim.out"));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) <= 1);  // a run, not invalid input or a crash
  const auto report = nlohmann::json::parse(Read(dir.path() + "/r.json"));
  int started = 0;
  int refused = 0;
  for (const auto& pod : report["pods"]) {
    const auto& terminated = pod["containers"][0]["state"]["terminated"];
    if (terminated["reason"] == "StartError") {
      ++refused;
      const std::string message = terminated["message"];
      CHECK(message.find("too many open files (EMFILE)") != std::string::npos);
      CHECK(message.find("limit of 24 open files (ulimit -n)") != std::string::npos);
    } else {
      ++started;
      CHECK(terminated["exitCode"] == 0);
    }
  }
  CHECK(started > 0);
  CHECK(refused > 0);
}

}  // namespace
}  // namespace ptsim
