// The command line of ptsim-worker. Every flag can also come from the
// environment as PTSIM_WORKER_<FLAG> (upper case, dashes as underscores, e.g.
// PTSIM_WORKER_CRASH_AT_STEP=50); a flag given on the command line wins over
// its variable. Bad values yield exit status 2 and a message that names the
// flag or variable and quotes the value. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tools/ptsim-worker/duration.hpp"
#include "tools/ptsim-worker/launch_env.hpp"

namespace ptsim::worker {

struct Options {
  // Training.
  std::int64_t steps = 100;
  int dim = 4;
  double lr = 0.1;
  Duration step_time = std::chrono::milliseconds(10);
  std::string checkpoint_dir;  // empty: no checkpoints, no resume
  std::int64_t checkpoint_every = 10;
  std::string result_file;  // empty: none

  // Rendezvous.
  std::optional<int> port_offset;  // nullopt: DefaultPortOffset(launch env)
  Duration connect_timeout = std::chrono::seconds(60);
  Duration peer_timeout = std::chrono::seconds(30);

  // Faults. Each is off unless its *_at_step (or alloc_mib) is set.
  Duration start_delay = Duration::zero();
  std::int64_t alloc_mib = 0;
  std::int64_t alloc_at_step = 0;  // 0: at start
  std::optional<std::int64_t> crash_at_step;
  std::optional<int> crash_exit_code;  // 1 when neither this nor crash_signal is set
  std::optional<int> crash_signal;
  std::optional<int> crash_rank;  // nullopt: every rank
  bool crash_if_fresh = false;
  std::optional<std::int64_t> hang_at_step;
  std::optional<int> hang_rank;  // nullopt: every rank

  bool print_env = false;

  // Flyte (flyte_output.hpp).
  std::string return_value;        // JSON for $PTSIM_FLYTE_OUTPUT_DIR/return.json
  std::string decks;               // comma-separated deck names
  std::string crash_exception;     // the crash is this Python exception
  bool crash_recoverable = false;  // ... flytekit's FlyteRecoverableException
};

// What the command line asks for: run with `options`, or stop at once with
// `exit_code` after printing `out` on stdout (--help) or `err` on stderr.
struct CommandLine {
  std::optional<Options> options;
  int exit_code = 0;
  std::string out;
  std::string err;
};

CommandLine ParseCommandLine(int argc, const char* const* argv, const EnvLookup& env);

// The environment variable that stands for a flag: "crash-at-step" ->
// "PTSIM_WORKER_CRASH_AT_STEP".
std::string EnvNameForFlag(const std::string& flag);

}  // namespace ptsim::worker
