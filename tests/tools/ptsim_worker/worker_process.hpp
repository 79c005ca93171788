// Test helpers that run the real ptsim-worker binary: a temporary directory, a
// free TCP port, and WorkerProcess, which spawns the worker with an exact
// environment (nothing inherited from the test), sends its stdout and stderr
// to files, and on destruction SIGKILLs and reaps it if it is still running,
// so no process outlives a failed assertion. One thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace ptsim::worker::testing {

using Env = std::map<std::string, std::string>;
using std::chrono::milliseconds;

// the path CMake built it at (PTSIM_WORKER_PATH).
std::string WorkerPath();

using ptsim::testing::TempDir;

// A TCP port that was free a moment ago.
int FreePort();

// The environment the training-operator gives rank `rank` of `world`, meeting
// at 127.0.0.1:`port`.
Env RankEnv(int rank, int world, int port);

std::string ReadFile(const std::string& path);

struct ExitStatus {
  bool exited = false;  // exited normally with `code`
  int code = 0;
  bool signaled = false;  // killed by `signal`
  int signal = 0;
  std::string Describe() const;
};

// "exited 0", "killed by signal 9", or "still running" for nullopt: reads well
// in a failed CHECK.
std::string Outcome(const std::optional<ExitStatus>& status);

class WorkerProcess {
 public:
  // Starts the worker as `name` (its output goes to dir/<name>.out and .err).
  WorkerProcess(const TempDir& dir, const std::string& name, const std::vector<std::string>& args,
                const Env& env);
  ~WorkerProcess();
  WorkerProcess(WorkerProcess&& other) noexcept;
  WorkerProcess& operator=(WorkerProcess&&) = delete;
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  pid_t pid() const { return pid_; }
  // The exit status once the process has ended, or nullopt after `timeout`.
  std::optional<ExitStatus> Wait(milliseconds timeout = milliseconds(5000));
  // True while the process has not ended (reaps it if it has).
  bool Running();
  // Waits until stdout contains `text`; false after `timeout` or if the process ended first.
  bool WaitForOutput(std::string_view text, milliseconds timeout = milliseconds(5000));

  std::string Stdout() const { return ReadFile(out_path_); }
  std::string Stderr() const { return ReadFile(err_path_); }

 private:
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
  std::string out_path_;
  std::string err_path_;
};

// Starts `world` ranks with the same args; `extra` env goes to every rank.
std::vector<WorkerProcess> StartRanks(const TempDir& dir, int world, int port,
                                      const std::vector<std::string>& args, const Env& extra = {});

// Waits for every process; a process still running after `timeout` yields nullopt.
std::vector<std::optional<ExitStatus>> WaitAll(std::vector<WorkerProcess>& processes,
                                               milliseconds timeout = milliseconds(5000));

// The lines of `text` that start with `prefix`.
std::vector<std::string> LinesStartingWith(const std::string& text, std::string_view prefix);

}  // namespace ptsim::worker::testing
