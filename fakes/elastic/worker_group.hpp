// One attempt's local workers, as torch's SubprocessContext runs them
// (multiprocessing/api.py): started through a ProcessRunner (real processes,
// or scripted ones in virtual time), polled all-or-nothing (_poll: any
// non-zero exit fails the group, all zero succeeds it), and closed by sending
// a death signal to every worker still running, waiting up to the shutdown
// timeout, then SIGKILL (close/_close), with torch's log lines. Workers'
// output lines go to Options::worker_output (else `output`, which also takes
// the group's own lines); their pids are the runner's, or small
// synthetic ones for processes without one. Destroying the group SIGKILLs
// what is left, as a container's end kills its processes. Loop thread only.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fakes/elastic/child_failure.hpp"
#include "fakes/elastic/torchrun_error.hpp"
#include "fakes/process/process_runner.hpp"
#include "sim/core/event_loop.hpp"

namespace ptsim::elastic {

class LocalWorkerGroup {
 public:
  struct Launch {
    std::vector<std::string> argv;
    std::vector<std::string> env;
    std::string error_file;
  };
  struct Options {
    std::string name;                         // ProcessSpec.name prefix: "<ns>/<pod>/<container>"
    std::string working_dir;                  // the container's
    const ContainerScript* script = nullptr;  // scripted containers' workers are scripted
    int incarnation = 0;                      // which incarnation of the script each worker plays
    // Each worker's output lines, by local rank (worker_output.hpp routes
    // them); unset: they go to the group's `output`.
    std::function<void(int local_rank, std::string_view line)> worker_output;
  };
  enum class State { kRunning, kSucceeded, kFailed };
  struct PollResult {
    State state = State::kRunning;
    std::map<int, ProcessFailure> failures;  // by local rank
  };

  // `next_synthetic_pid` is shared by the agent's groups (pids never repeat).
  LocalWorkerGroup(EventLoop& loop, ProcessRunner& runner,
                   std::function<void(std::string_view)> output, int* next_synthetic_pid);
  ~LocalWorkerGroup();
  LocalWorkerGroup(const LocalWorkerGroup&) = delete;
  LocalWorkerGroup& operator=(const LocalWorkerGroup&) = delete;

  // start_processes. A worker that cannot be spawned raises the
  // FileNotFoundError Popen would; the workers already started are left for
  // the caller to close.
  std::optional<TorchrunError> Start(const std::vector<Launch>& workers, const Options& options);
  // SubprocessContext._poll, without its close(). `unix_now` stamps failures
  // without an error file; `parse_error` reports an unreadable error file.
  PollResult Poll(std::int64_t unix_now, std::string* parse_error);
  // PContext.close(death_sig, timeout): calls `done` once every worker ended.
  void Close(int signal, Duration timeout, std::function<void()> done);
  // The container died: SIGKILL everything at once, quietly.
  void KillAll();
  // SIGSTOP / SIGCONT to every running worker (the container was frozen).
  void Forward(int signal);

  int Pid(int local_rank) const { return workers_.at(static_cast<std::size_t>(local_rank)).pid; }
  bool AnyRunning() const;
  std::size_t size() const { return workers_.size(); }

 private:
  struct Worker {
    ProcessId id = 0;
    int pid = 0;
    std::string error_file;
    std::optional<int> exitcode;  // Popen.returncode: negative for a signal
    bool polled = false;          // no longer in _running_local_ranks
  };
  void OnExit(std::size_t index, const ProcessExit& exit);
  void CheckClosed();

  EventLoop& loop_;
  ProcessRunner& runner_;
  std::function<void(std::string_view)> output_;
  int* next_synthetic_pid_;
  std::vector<Worker> workers_;
  std::function<void()> close_done_;
  int close_signal_ = 0;
  EventLoop::TimerId close_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The ERROR line _poll logs for a failed group (the first failure by time):
// "failed (exitcode: 7) local_rank: 1 (pid: 30169) of binary: ./w.sh".
std::string GroupFailureLine(const std::map<int, ProcessFailure>& failures,
                             const std::string& entrypoint);

}  // namespace ptsim::elastic
