// The real adapter of ProcessRunner: containers as real local processes.
//
// Each process runs `argv` with exactly the given environment, in its own
// process group, with stdin from /dev/null and stdout+stderr merged into one
// pipe that the runner reads line by line, a line longer than 16 KiB in pieces
// (LogLineSplitter), appending each to the log file, which is rotated and
// capped (ContainerLogFile), and calling on_output. Children inherit no descriptor beyond 0-2, get
// SIGKILL if ptsim dies (PR_SET_PDEATHSIG, and the OrphanGuard for their children), and are always
// reaped. When a process exits, the rest of its process group is killed, as a container's processes
// die with its main process. Memory limits use MemoryCgroups, or sampling of the group's resident
// memory.
//
// While a process is alive and not frozen (SIGSTOP), the runner holds the
// loop in real-time mode. This is the only file that includes Boost.Process.
// Loop thread only.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "fakes/process/container_log.hpp"
#include "fakes/process/memory_cgroups.hpp"
#include "fakes/process/orphan_guard.hpp"
#include "fakes/process/process_runner.hpp"
#include "sim/core/event_loop.hpp"

namespace ptsim {

class RealProcessRunner final : public ProcessRunner {
 public:
  struct Options {
    // Added to every process's environment so the OrphanGuard can find
    // descendants that escaped their process group ("PTSIM_RUN=<token>").
    std::string marker_env;
    OrphanGuard* guard = nullptr;      // may be null
    MemoryCgroups* cgroups = nullptr;  // may be null: memory limits are then sampled
    std::string default_working_dir;
    // Names this runner's memory cgroups apart from other runners' (parallel runs).
    std::string cgroup_prefix = "p";
    // ptsim-shim (FindContainerShim), the parent of each container's process that
    // ends all its descendants with it. Empty: processes run without it.
    std::string shim = {};
    // The kubelet's containerLogMaxSize and containerLogMaxFiles.
    ContainerLogPolicy log_policy = {};
  };

  RealProcessRunner(EventLoop& loop, Options options);
  // SIGKILLs and reaps every process still alive.
  ~RealProcessRunner() override;

  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override;
  void Signal(ProcessId id, int signal) override;
  bool Running(ProcessId id) const override;
  int Pid(ProcessId id) const override;

  std::size_t alive() const;
  // Sends `signal` to every live process group (Ctrl-C handling, shutdown).
  void SignalAll(int signal);

  struct Child;

 private:
  void OnExit(ProcessId id, int native_status);
  void StartReading(ProcessId id);
  // One line (or piece) of output: to the log file, then to on_output.
  void Deliver(Child& child, std::string_view line, bool newline);
  // Passes a failure of the child's log (full disk...) to on_log_error.
  void ReportLogError(Child& child);
  void Finish(ProcessId id);
  void SampleMemory();

  EventLoop& loop_;
  Options options_;
  ProcessId next_id_ = 1;
  std::map<ProcessId, std::unique_ptr<Child>> children_;
  EventLoop::TimerId sampler_;
};

// Resolves `command` the way execvp would, using the PATH in `env` (entries
// "NAME=value"), or ptsim's own PATH when `env` has none. Returns the absolute
// path, or an empty string and a reason.
std::string ResolveExecutable(const std::string& command, const std::vector<std::string>& env,
                              std::string* why);

}  // namespace ptsim
