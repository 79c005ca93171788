// ptsim-worker's fault knobs and how the group reacts: crashes with an exit
// code or a signal, a hung or killed peer, memory growth, and rendezvous
// timeouts. Timeouts here are small (200ms) because time is the point.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/tools/ptsim_worker/worker_process.hpp"

namespace ptsim::worker::testing {
namespace {

using Clock = std::chrono::steady_clock;

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// VmRSS of a live process in KiB, from /proc/<pid>/status.
long ResidentKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

TEST_CASE("a crash with --crash-exit-code makes the crashing rank exit with that code") {
  TempDir dir;
  WorkerProcess worker(
      dir, "crash", {"--step-time", "1ms", "--crash-at-step", "3", "--crash-exit-code", "7"}, {});
  CHECK(Outcome(worker.Wait()) == "exited 7");
  CHECK(LinesStartingWith(worker.Stdout(), "step ").size() == 2);
  CHECK(Contains(worker.Stderr(),
                 "ptsim-worker: rank 0: crashing at step 3 with exit code 7 (--crash-at-step)"));

  WorkerProcess default_code(dir, "default", {"--step-time", "1ms", "--crash-at-step", "1"}, {});
  CHECK(Outcome(default_code.Wait()) == "exited 1");
}

TEST_CASE("a crash with --crash-signal kills the process with that signal") {
  const auto [name, expected_signal] = GENERATE(table<std::string, int>({{"SIGKILL", SIGKILL},
                                                                         {"SEGV", SIGSEGV},
                                                                         {"kill", SIGKILL},
                                                                         {"15", SIGTERM},
                                                                         {"SIGABRT", SIGABRT}}));
  INFO("--crash-signal " << name);
  TempDir dir;
  WorkerProcess worker(dir, "crash",
                       {"--step-time", "1ms", "--crash-at-step", "2", "--crash-signal", name}, {});
  const auto status = worker.Wait();
  REQUIRE(status);
  CHECK(status->signaled);
  CHECK(status->signal == expected_signal);
  CHECK(LinesStartingWith(worker.Stdout(), "step ").size() == 1);
}

TEST_CASE("a crash with --crash-rank happens only on that rank") {
  TempDir dir;
  WorkerProcess worker(
      dir, "solo",
      {"--steps", "3", "--step-time", "1ms", "--crash-at-step", "2", "--crash-rank", "1"}, {});
  CHECK(Outcome(worker.Wait()) == "exited 0");
}

TEST_CASE("the survivors of a killed peer exit 1 well within the peer timeout") {
  TempDir dir;
  const auto start = Clock::now();
  auto ranks = StartRanks(dir, 3, FreePort(),
                          {"--steps", "20", "--step-time", "1ms", "--peer-timeout", "10s",
                           "--crash-at-step", "3", "--crash-rank", "2", "--crash-signal", "KILL"});
  const auto status = WaitAll(ranks, milliseconds(5000));
  const auto elapsed = Clock::now() - start;
  CHECK(Outcome(status[0]) == "exited 1");
  CHECK(Outcome(status[1]) == "exited 1");
  CHECK(Outcome(status[2]) == "killed by signal 9");
  CHECK(elapsed < std::chrono::seconds(2));
  CHECK(Contains(ranks[0].Stderr(), "ptsim-worker: rank 0: lost connection to rank 2 at step 3 ("));
  // Rank 0's exit closes or resets (unread data) its connection to rank 1.
  CHECK(Contains(ranks[1].Stderr(), "ptsim-worker: rank 1: lost connection to rank 0 at step 3 ("));
}

TEST_CASE("a hung peer is declared lost after --peer-timeout") {
  TempDir dir;
  auto ranks = StartRanks(dir, 3, FreePort(),
                          {"--steps", "20", "--step-time", "1ms", "--peer-timeout", "200ms",
                           "--hang-at-step", "3", "--hang-rank", "2"});
  REQUIRE(ranks[2].WaitForOutput("hanging at step 3"));
  const auto hung_at = Clock::now();
  CHECK(Outcome(ranks[0].Wait()) == "exited 1");
  CHECK(Outcome(ranks[1].Wait()) == "exited 1");
  const auto elapsed = Clock::now() - hung_at;
  CHECK(elapsed >= std::chrono::milliseconds(150));
  CHECK(elapsed < std::chrono::seconds(2));
  CHECK(
      Contains(ranks[0].Stderr(), "lost connection to rank 2 at step 3 (no message within 200ms)"));
  // Rank 1 waits as long for rank 0 as rank 0 waits for rank 2: it sees rank 0
  // either go away or time out, whichever comes first.
  INFO("rank 1: " << ranks[1].Stderr());
  CHECK(Contains(ranks[1].Stderr(), "lost connection to rank 0 at step 3 ("));
  CHECK(ranks[2].Running());  // hung for good; the guard kills it
}

TEST_CASE("allocating with --alloc-mib raises the resident memory of the process") {
  TempDir dir;
  WorkerProcess baseline(dir, "baseline", {"--hang-at-step", "1"}, {});
  WorkerProcess at_start(dir, "at-start", {"--alloc-mib", "64", "--hang-at-step", "1"}, {});
  WorkerProcess at_step(
      dir, "at-step",
      {"--step-time", "1ms", "--alloc-mib", "32", "--alloc-at-step", "3", "--hang-at-step", "3"},
      {});
  REQUIRE(baseline.WaitForOutput("hanging at step 1"));
  REQUIRE(at_start.WaitForOutput("hanging at step 1"));
  REQUIRE(at_step.WaitForOutput("hanging at step 3"));
  const long base = ResidentKib(baseline.pid());
  INFO("baseline VmRSS " << base << " KiB");
  CHECK(base > 0);
  CHECK(ResidentKib(at_start.pid()) - base >= 63 * 1024);
  CHECK(ResidentKib(at_step.pid()) - base >= 31 * 1024);
  const std::string out = at_step.Stdout();
  CHECK(out.find("step 2 loss") < out.find("allocated 32 MiB"));
}

TEST_CASE("a rank that cannot reach rank 0 gives up after --connect-timeout") {
  TempDir dir;
  const auto start = Clock::now();
  WorkerProcess worker(dir, "rank1", {"--connect-timeout", "200ms"}, RankEnv(1, 2, FreePort()));
  CHECK(Outcome(worker.Wait()) == "exited 1");
  const auto elapsed = Clock::now() - start;
  CHECK(elapsed >= std::chrono::milliseconds(200));
  CHECK(elapsed < std::chrono::seconds(2));
  CHECK(Contains(worker.Stderr(),
                 "ptsim-worker: rank 1: cannot reach rank 0: could not connect to "
                 "127.0.0.1:"));
}

TEST_CASE("rank 0 gives up when a rank never connects") {
  TempDir dir;
  const int port = FreePort();
  WorkerProcess rank0(dir, "rank0", {"--connect-timeout", "200ms"}, RankEnv(0, 3, port));
  WorkerProcess rank1(dir, "rank1", {"--connect-timeout", "200ms"}, RankEnv(1, 3, port));
  CHECK(Outcome(rank0.Wait()) == "exited 1");
  CHECK(Outcome(rank1.Wait()) == "exited 1");
  CHECK(Contains(rank0.Stderr(), "timed out after 200ms waiting for rank 2 to connect to port " +
                                     std::to_string(port)));
  CHECK(Contains(rank1.Stderr(), "lost connection to rank 0 during rendezvous"));
}

TEST_CASE("two processes that claim the same rank are rejected") {
  TempDir dir;
  const int port = FreePort();
  WorkerProcess rank0(dir, "rank0", {"--connect-timeout", "2s"}, RankEnv(0, 3, port));
  WorkerProcess first(dir, "first", {"--connect-timeout", "2s"}, RankEnv(1, 3, port));
  WorkerProcess second(dir, "second", {"--connect-timeout", "2s"}, RankEnv(1, 3, port));
  CHECK(Outcome(rank0.Wait()) == "exited 1");
  CHECK(Contains(rank0.Stderr(), "two processes say they are rank 1"));
  CHECK(Outcome(first.Wait()) == "exited 1");
  CHECK(Outcome(second.Wait()) == "exited 1");
}

}  // namespace
}  // namespace ptsim::worker::testing
