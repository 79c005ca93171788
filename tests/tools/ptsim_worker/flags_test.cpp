// ptsim-worker's command line and launch environment: bad values exit 2 with
// a message that names the flag or variable and the value.
#include <catch2/catch.hpp>

#include "tests/tools/ptsim_worker/worker_process.hpp"

namespace ptsim::worker::testing {
namespace {

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("bad flag values exit 2 with a message naming the flag and the value") {
  const auto [flag, value] = GENERATE(table<std::string, std::string>({
      {"--steps", "abc"},
      {"--steps", "0"},
      {"--dim", "-3"},
      {"--lr", "fast"},
      {"--step-time", "10"},
      {"--peer-timeout", "-1s"},
      {"--connect-timeout", "soon"},
      {"--crash-exit-code", "300"},
      {"--crash-signal", "SIGFOO"},
      {"--crash-signal", "SIGSTOP"},
      {"--crash-signal", "99"},
      {"--crash-if-fresh", "maybe"},
  }));
  INFO(flag << " " << value);
  TempDir dir;
  // --crash-if-fresh is a switch, so its value can only come from its variable.
  const bool is_switch = flag == "--crash-if-fresh";
  WorkerProcess worker(dir, "bad",
                       is_switch ? std::vector<std::string>{} : std::vector{flag, value},
                       is_switch ? Env{{"PTSIM_WORKER_CRASH_IF_FRESH", value}} : Env{});
  CHECK(Outcome(worker.Wait()) == "exited 2");
  const std::string err = worker.Stderr();
  CHECK(Contains(err, flag));
  CHECK(Contains(err, "\"" + value + "\""));
  CHECK(worker.Stdout().empty());
}

TEST_CASE("bad PTSIM_WORKER_ values exit 2 naming the variable") {
  TempDir dir;
  WorkerProcess worker(dir, "bad", {}, {{"PTSIM_WORKER_LR", "fast"}});
  CHECK(Outcome(worker.Wait()) == "exited 2");
  CHECK(Contains(worker.Stderr(),
                 "invalid value \"fast\" for PTSIM_WORKER_LR (environment "
                 "variable for --lr)"));

  WorkerProcess ignored(dir, "flag-wins", {"--lr", "0.2", "--steps", "1"},
                        {{"PTSIM_WORKER_LR", "fast"}});
  CHECK(Outcome(ignored.Wait()) == "exited 0");
}

TEST_CASE("unknown flags and conflicting crash flags exit 2") {
  TempDir dir;
  WorkerProcess unknown(dir, "unknown", {"--bogus"}, {});
  CHECK(Outcome(unknown.Wait()) == "exited 2");
  CHECK(Contains(unknown.Stderr(), "--bogus"));

  WorkerProcess both(dir, "both", {"--crash-exit-code", "3", "--crash-signal", "KILL"}, {});
  CHECK(Outcome(both.Wait()) == "exited 2");
  CHECK(Contains(both.Stderr(), "--crash-exit-code and --crash-signal"));
}

TEST_CASE("an inconsistent launch environment exits 2 naming the variable") {
  const auto [env, message] = GENERATE(table<Env, std::string>({
      {Env{{"WORLD_SIZE", "2"}, {"RANK", "2"}, {"MASTER_ADDR", "x"}, {"MASTER_PORT", "1234"}},
       "RANK=\"2\""},
      {Env{{"WORLD_SIZE", "2"}, {"RANK", "1"}}, "MASTER_ADDR and MASTER_PORT"},
      {Env{{"WORLD_SIZE", "2"}, {"MASTER_ADDR", "x"}, {"MASTER_PORT", "1234"}}, "RANK is not set"},
      {Env{{"WORLD_SIZE", "two"}}, "WORLD_SIZE=\"two\""},
      {Env{{"MASTER_PORT", "99999"}}, "MASTER_PORT=\"99999\""},
  }));
  INFO(message);
  TempDir dir;
  WorkerProcess worker(dir, "bad", {}, env);
  CHECK(Outcome(worker.Wait()) == "exited 2");
  CHECK(Contains(worker.Stderr(), message));
}

TEST_CASE("the help text documents every flag with its default and variable") {
  TempDir dir;
  WorkerProcess worker(dir, "help", {"--help"}, {});
  CHECK(Outcome(worker.Wait()) == "exited 0");
  const std::string out = worker.Stdout();
  for (const char* flag : {"--steps",
                           "--dim",
                           "--lr",
                           "--step-time",
                           "--checkpoint-dir",
                           "--checkpoint-every",
                           "--result-file",
                           "--port-offset",
                           "--connect-timeout",
                           "--peer-timeout",
                           "--start-delay",
                           "--alloc-mib",
                           "--alloc-at-step",
                           "--crash-at-step",
                           "--crash-exit-code",
                           "--crash-signal",
                           "--crash-rank",
                           "--crash-if-fresh",
                           "--hang-at-step",
                           "--hang-rank",
                           "--print-env"}) {
    INFO(flag);
    CHECK(Contains(out, flag));
  }
  CHECK(Contains(out, "[env: PTSIM_WORKER_CRASH_AT_STEP]"));
  CHECK(Contains(out, "TORCHELASTIC_USE_AGENT_STORE"));
}

}  // namespace
}  // namespace ptsim::worker::testing
