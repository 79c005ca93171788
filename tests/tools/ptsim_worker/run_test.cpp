// ptsim-worker as a trainer: a single process, a group of ranks, resuming from
// a checkpoint, the torchrun port rule and the environment it reports.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/tools/ptsim_worker/worker_process.hpp"

namespace ptsim::worker::testing {
namespace {

using nlohmann::json;

json ReadJson(const std::string& path) {
  return json::parse(ReadFile(path));
}

// The run a fault-free 3-rank group and a crashed-then-resumed one both make.
const std::vector<std::string> kResumeArgs{
    "--steps", "40", "--step-time", "1ms", "--checkpoint-every", "10"};

TEST_CASE("a single process without WORLD_SIZE trains alone and writes the result file") {
  TempDir dir;
  WorkerProcess worker(
      dir, "solo", {"--steps", "5", "--step-time", "1ms", "--result-file", dir / "out/result.json"},
      {});
  CHECK(Outcome(worker.Wait()) == "exited 0");
  const std::string out = worker.Stdout();
  CHECK(out.starts_with("ptsim-worker rank=0 world=1 master=-:- restart_count=0\n"));
  const auto steps = LinesStartingWith(out, "step ");
  REQUIRE(steps.size() == 5);
  CHECK(steps.front().starts_with("step 1 loss "));
  CHECK(steps.back().starts_with("step 5 loss "));
  const std::string final_loss = steps.back().substr(std::string("step 5 loss ").size());
  CHECK(LinesStartingWith(out, "done ") ==
        std::vector<std::string>{"done steps=5 loss=" + final_loss});

  const json result = ReadJson(dir / "out/result.json");
  CHECK(result["steps"] == 5);
  CHECK(result["world_size"] == 1);
  CHECK(result["params"].size() == 4);
  CHECK(result["params_hex"].size() == 4);
  CHECK(result["resumed_from_step"].is_null());
  CHECK(result["final_loss"].get<double>() == std::stod(final_loss));
}

TEST_CASE("three ranks log identical losses and only rank 0 writes the result") {
  TempDir dir;
  const int port = FreePort();
  std::vector<WorkerProcess> ranks;
  for (int rank = 0; rank < 3; ++rank) {
    // Every rank is told to write a result file; only rank 0 does.
    Env env = RankEnv(rank, 3, port);
    env["PTSIM_WORKER_RESULT_FILE"] = dir / ("result" + std::to_string(rank) + ".json");
    ranks.emplace_back(dir, "rank" + std::to_string(rank),
                       std::vector<std::string>{"--steps", "10", "--step-time", "1ms"}, env);
  }
  for (auto& status : WaitAll(ranks))
    CHECK(Outcome(status) == "exited 0");

  const std::string out0 = ranks[0].Stdout();
  CHECK(out0.starts_with("ptsim-worker rank=0 world=3 master=127.0.0.1:" + std::to_string(port) +
                         " restart_count=0\n"));
  const auto steps0 = LinesStartingWith(out0, "step ");
  CHECK(steps0.size() == 10);
  for (std::size_t r = 1; r < ranks.size(); ++r) {
    CHECK(LinesStartingWith(ranks[r].Stdout(), "step ") == steps0);
    CHECK(LinesStartingWith(ranks[r].Stdout(), "done ") == LinesStartingWith(out0, "done "));
  }
  const json result = ReadJson(dir / "result0.json");
  CHECK(result["world_size"] == 3);
  CHECK(result["steps"] == 10);
  CHECK_FALSE(std::filesystem::exists(dir / "result1.json"));
  CHECK_FALSE(std::filesystem::exists(dir / "result2.json"));
}

TEST_CASE(
    "a crashed run resumes from rank 0's checkpoint and ends bit-exact with a fault-free run") {
  TempDir dir;

  // The reference: a fault-free run.
  auto args = kResumeArgs;
  args.insert(args.end(), {"--result-file", dir / "fault-free.json"});
  auto clean = StartRanks(dir, 3, FreePort(), args);
  for (auto& status : WaitAll(clean))
    REQUIRE(Outcome(status) == "exited 0");

  // Rank 1 crashes at the start of step 30 when the run is fresh; the others lose it.
  args = kResumeArgs;
  args.insert(args.end(), {"--checkpoint-dir", dir / "ckpt", "--result-file", dir / "resumed.json",
                           "--crash-at-step", "30", "--crash-rank", "1", "--crash-if-fresh"});
  {
    TempDir logs;
    auto crashed = StartRanks(logs, 3, FreePort(), args);
    const auto status = WaitAll(crashed);
    CHECK(Outcome(status[0]) == "exited 1");
    CHECK(Outcome(status[1]) == "exited 1");
    CHECK(Outcome(status[2]) == "exited 1");
    CHECK(crashed[1].Stderr().find("crashing at step 30") != std::string::npos);
    CHECK(crashed[0].Stderr().find("lost connection to rank 1 at step 30") != std::string::npos);
    CHECK(LinesStartingWith(crashed[0].Stdout(), "step ").size() == 29);
    CHECK(std::filesystem::exists(dir / "ckpt/ckpt-20.json"));
    CHECK_FALSE(std::filesystem::exists(dir / "ckpt/ckpt-30.json"));
    CHECK_FALSE(std::filesystem::exists(dir / "resumed.json"));
  }

  // The same command again: rank 0 resumes from step 20 and nobody crashes.
  TempDir logs;
  auto rerun = StartRanks(logs, 3, FreePort(), args);
  for (auto& status : WaitAll(rerun))
    CHECK(Outcome(status) == "exited 0");
  for (auto& rank : rerun) {
    CHECK(LinesStartingWith(rank.Stdout(), "resumed from step ") ==
          std::vector<std::string>{"resumed from step 20"});
    CHECK(LinesStartingWith(rank.Stdout(), "step ").front().starts_with("step 21 loss "));
  }

  const json fault_free = ReadJson(dir / "fault-free.json");
  const json resumed = ReadJson(dir / "resumed.json");
  CHECK(resumed["resumed_from_step"] == 20);
  CHECK(resumed["steps"] == 40);
  CHECK(resumed["params_hex"] == fault_free["params_hex"]);
  CHECK(resumed["final_loss_hex"] == fault_free["final_loss_hex"]);
  CHECK(resumed["params"] == fault_free["params"]);
  CHECK(LinesStartingWith(rerun[0].Stdout(), "done ") ==
        LinesStartingWith(clean[0].Stdout(), "done "));
}

TEST_CASE("with TORCHELASTIC_USE_AGENT_STORE=True the ranks meet at MASTER_PORT plus one") {
  // Play the elastic agent's store: hold MASTER_PORT, leave MASTER_PORT+1 free.
  int port = 0;
  int agent_store = -1;
  for (int attempt = 0; attempt < 20 && agent_store < 0; ++attempt) {
    port = FreePort();
    agent_store = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool held = ::bind(agent_store, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                      ::listen(agent_store, 8) == 0;
    const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    addr.sin_port = htons(static_cast<std::uint16_t>(port + 1));
    const bool next_free = ::bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(probe);
    if (!held || !next_free) {
      ::close(agent_store);
      agent_store = -1;
    }
  }
  REQUIRE(agent_store >= 0);

  TempDir dir;
  auto ranks = StartRanks(dir, 2, port, {"--steps", "3", "--step-time", "1ms"},
                          {{"TORCHELASTIC_USE_AGENT_STORE", "True"},
                           {"TORCHELASTIC_RESTART_COUNT", "2"},
                           {"LOCAL_RANK", "0"}});
  for (auto& status : WaitAll(ranks))
    CHECK(Outcome(status) == "exited 0");
  ::close(agent_store);
  CHECK(ranks[1].Stdout().starts_with("ptsim-worker rank=1 world=2 master=127.0.0.1:" +
                                      std::to_string(port + 1) + " restart_count=2\n"));
}

TEST_CASE(
    "printing the environment with --print-env lists the rendezvous variables that are set sorted "
    "by name") {
  TempDir dir;
  WorkerProcess worker(dir, "env", {"--print-env", "--steps", "1"},
                       {{"WORLD_SIZE", "1"},
                        {"RANK", "0"},
                        {"LOCAL_RANK", "0"},
                        {"TORCHELASTIC_RUN_ID", "job-1"},
                        {"OMP_NUM_THREADS", "1"},
                        {"UNRELATED", "x"}});
  CHECK(Outcome(worker.Wait()) == "exited 0");
  CHECK(LinesStartingWith(worker.Stdout(), "env ") ==
        std::vector<std::string>{"env LOCAL_RANK=0", "env OMP_NUM_THREADS=1", "env RANK=0",
                                 "env TORCHELASTIC_RUN_ID=job-1", "env WORLD_SIZE=1"});
}

TEST_CASE("every flag can come from a PTSIM_WORKER_ variable and a flag on the command line wins") {
  TempDir dir;
  WorkerProcess from_env(dir, "from-env", {},
                         {{"PTSIM_WORKER_STEPS", "3"}, {"PTSIM_WORKER_STEP_TIME", "1ms"}});
  CHECK(Outcome(from_env.Wait()) == "exited 0");
  CHECK(LinesStartingWith(from_env.Stdout(), "step ").size() == 3);

  WorkerProcess flag_wins(dir, "flag-wins", {"--steps", "2"},
                          {{"PTSIM_WORKER_STEPS", "3"}, {"PTSIM_WORKER_STEP_TIME", "1ms"}});
  CHECK(Outcome(flag_wins.Wait()) == "exited 0");
  CHECK(LinesStartingWith(flag_wins.Stdout(), "done ").front().starts_with("done steps=2 "));

  WorkerProcess crash_from_env(dir, "crash", {"--step-time", "1ms"},
                               {{"PTSIM_WORKER_CRASH_AT_STEP", "2"},
                                {"PTSIM_WORKER_CRASH_EXIT_CODE", "42"},
                                {"PTSIM_WORKER_CRASH_IF_FRESH", "true"}});
  CHECK(Outcome(crash_from_env.Wait()) == "exited 42");
  CHECK(LinesStartingWith(crash_from_env.Stdout(), "step ").size() == 1);
}

}  // namespace
}  // namespace ptsim::worker::testing
