// An interrupt at any moment of `ptsim run`, not only mid-run: while an input
// is being read (a FIFO no one writes to), while reports are being written,
// and while several files run side by side (-j 2). Each ends promptly, leaves
// no process, keeps whole reports of what ran, and exits 128 + the signal.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
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

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::Read;
using testing::TempDir;
using testing::Write;

struct Started {
  pid_t pid = 0;
  int output = -1;
};

Started Start(const std::string& dir, const std::vector<std::string>& args) {
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    ::close(pipefd[0]);
    std::vector<char*> argv{const_cast<char*>("ptsim")};
    for (const auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(PTSIM_CLI_PATH, argv.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  return {pid, pipefd[0]};
}

struct Ended {
  int status = 0;
  std::string output;
  double seconds = 0;  // from `since` to the exit
};

Ended Finish(Started s, Clock::time_point since) {
  Ended e;
  char buf[4096];
  for (ssize_t n; (n = ::read(s.output, buf, sizeof buf)) > 0;)
    e.output.append(buf, static_cast<std::size_t>(n));
  ::close(s.output);
  ::waitpid(s.pid, &e.status, 0);
  e.seconds = std::chrono::duration<double>(Clock::now() - since).count();
  return e;
}

int ExitStatus(const Ended& e) {
  return WIFEXITED(e.status) ? WEXITSTATUS(e.status) : -1;
}

bool NoneLeft(const std::string& mark) {
  for (int i = 0; i < 100; ++i) {
    bool alive = false;
    for (int pid : ProcessesWithEnv("TEST_MARK=" + mark)) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      alive = alive || (std::getline(stat, line) && line.find(") Z ") == std::string::npos);
    }
    if (!alive) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST_CASE("an interrupt while an input is read from a FIFO ends ptsim at once, nothing run") {
  TempDir dir;
  const std::string fifo = dir.path() + "/job.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  int writer = -1;
  SECTION("no writer: ptsim waits in open") {}
  SECTION("a writer that wrote half a document: ptsim waits in read") {
    // O_RDWR opens a FIFO without waiting for a reader (Linux).
    writer = ::open(fifo.c_str(), O_RDWR);
    REQUIRE(writer >= 0);
    const std::string half = "apiVersion: v1\nkind: Pod\n";
    REQUIRE(::write(writer, half.data(), half.size()) == static_cast<ssize_t>(half.size()));
  }
  auto s = Start(dir.path(), {"run", "job.yaml", "--runs-dir", "runs"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto sent = Clock::now();
  ::kill(s.pid, SIGINT);
  const Ended e = Finish(s, sent);
  if (writer >= 0) ::close(writer);
  INFO(e.output);
  CHECK(e.seconds < 2.0);  // on main it waited for the FIFO for ever
  CHECK(ExitStatus(e) == 130);
  CHECK(e.output.find("interrupted (Interrupt) before anything ran") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() + "/runs"));
}

// Pods that all end at once: the run is over in a moment, and its reports
// (thousands of pods) take a while to build and write.
std::string ManyShortPods(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += fmt::format(
        "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{0}, annotations: "
        "{{script.ptsim.io/c: \"run 1s; exit 0\"}}}}\nspec: {{restartPolicy: Never, containers: "
        "[{{name: c, image: scripted}}]}}\n",
        i);
  }
  return out;
}

bool ReportWritingStarted(const std::string& run_dir) {
  std::error_code ec;
  for (fs::directory_iterator it(run_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(".report.json.tmp-", 0) == 0 || name == "report.json") return true;
  }
  return false;
}

TEST_CASE("SIGTERM while reports are written leaves them whole and runs nothing further") {
  TempDir dir;
  Write(dir.path() + "/big.yaml", ManyShortPods(4000));
  Write(dir.path() + "/next.yaml", ManyShortPods(1));
  auto s = Start(dir.path(), {"run", "big.yaml", "next.yaml", "-q", "--runs-dir", "runs", "--json",
                              "all.json"});
  bool started = false;
  for (int i = 0; i < 60'000 && !started; ++i) {
    started = ReportWritingStarted(dir.path() + "/runs/big");
    if (!started) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  REQUIRE(started);
  const auto sent = Clock::now();
  ::kill(s.pid, SIGTERM);
  const Ended e = Finish(s, sent);
  INFO(e.output);
  CHECK(e.seconds < 30.0);
  CHECK(ExitStatus(e) == 143);
  // Whole: the JSON parses, the HTML ends, no temporary file is left.
  const auto report = nlohmann::json::parse(Read(dir.path() + "/runs/big/report.json"));
  CHECK(report["pods"].size() == 4000);
  const std::string html = Read(dir.path() + "/runs/big/report.html");
  CHECK(html.find("</html>") != std::string::npos);
  CHECK_FALSE(Read(dir.path() + "/runs/big/trace.txt").empty());
  for (const auto& entry : fs::directory_iterator(dir.path() + "/runs/big"))
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
  // The next file never ran; the --json file holds, whole, the report of what did.
  CHECK_FALSE(fs::exists(dir.path() + "/runs/next/report.json"));
  const auto all = nlohmann::json::parse(Read(dir.path() + "/all.json"));
  CHECK(all["pods"].size() == 4000);
}

std::string RealPod(const std::string& name, const std::string& mark) {
  return fmt::format(R"(apiVersion: v1
kind: Pod
metadata: {{name: {0}}}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    env: [{{name: TEST_MARK, value: "{1}"}}]
    command: [sh, -c, "echo $$$$ > {0}.pid; sleep 600 & wait"]
)",
                     name, mark);
}

TEST_CASE("SIGINT to ptsim run -j 2 ends both runs with their reports, the third never starts") {
  TempDir dir;
  const std::string mark = fmt::format("j2-{}", ::getpid());
  for (const char* name : {"a", "b", "c"})
    Write(dir.path() + "/" + name + ".yaml", RealPod(name, mark));
  auto s = Start(dir.path(), {"run", "a.yaml", "b.yaml", "c.yaml", "-j", "2", "--runs-dir", "runs",
                              "--json", "all.json"});
  // Two of the three run; which two is the scheduler's business.
  int running = 0;
  for (int i = 0; i < 2000 && running < 2; ++i) {
    running = 0;
    for (const char* name : {"a", "b", "c"})
      running += fs::exists(dir.path() + "/" + name + ".pid") ? 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(running == 2);
  const auto sent = Clock::now();
  ::kill(s.pid, SIGINT);
  const Ended e = Finish(s, sent);
  INFO(e.output);
  CHECK(e.seconds < 10.0);
  CHECK(ExitStatus(e) == 130);
  int reports = 0;
  for (const char* name : {"a", "b", "c"}) {
    const std::string text = Read(dir.path() + "/runs/" + name + "/report.json");
    if (text.empty()) continue;
    ++reports;
    const auto report = nlohmann::json::parse(text);
    CHECK(report["outcome"] == "interrupted");
    CHECK(report["interruptedBy"] == "SIGINT");
  }
  CHECK(reports == 2);
  CHECK(NoneLeft(mark));
}

}  // namespace
}  // namespace ptsim
