// ptsim-worker: a fake data-parallel trainer (docs/ptsim-worker.md). main sets
// up the process (line-buffered stdout, SIGPIPE ignored), reads the command
// line and the launcher's environment, and runs the trainer.
#include <fmt/format.h>

#include <csignal>
#include <cstdio>

#include "tools/ptsim-worker/launch_env.hpp"
#include "tools/ptsim-worker/options.hpp"
#include "tools/ptsim-worker/trainer.hpp"

int main(int argc, char** argv) {
  using namespace ptsim::worker;
  // Supervisors match log lines while the program runs: flush every line.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  // A peer that goes away is an error from send(), not a signal.
  std::signal(SIGPIPE, SIG_IGN);

  const EnvLookup env = ProcessEnv();
  const CommandLine command_line = ParseCommandLine(argc, argv, env);
  std::fputs(command_line.out.c_str(), stdout);
  std::fputs(command_line.err.c_str(), stderr);
  if (!command_line.options) return command_line.exit_code;

  auto launch = ReadLaunchEnv(env);
  if (!launch) {
    fmt::print(stderr, "ptsim-worker: {}\n", launch.error());
    return 2;
  }
  return RunTrainer(*command_line.options, launch.value(), env);
}
