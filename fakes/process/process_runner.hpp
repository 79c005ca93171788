// The process supervisor interface (ninja's CommandRunner): spawn a container's
// process, signal its process group, and hear about its output and its end.
//
// Implementations: RealProcessRunner (real processes, the only code that
// includes Boost.Process), ScriptedProcessRunner (scripted containers that
// live only in virtual time), RecordingProcessRunner (a fake for tests that
// records every spawn and signal). Callbacks run on the event loop thread;
// on_exit is called exactly once, after every line of output was delivered.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/model/container_script.hpp"

namespace ptsim {

// How a process ended (errors as values: never a bare int).
struct ProcessExit {
  enum class Kind { kExited, kSignaled };
  Kind kind = Kind::kExited;
  int value = 0;            // the exit code, or the signal number
  bool oom_killed = false;  // killed for exceeding its memory limit

  static ProcessExit Exited(int code) { return {Kind::kExited, code, false}; }
  static ProcessExit Signaled(int signal) { return {Kind::kSignaled, signal, false}; }
  // The exit code Kubernetes reports: the code, or 128 + signal.
  int ExitCode() const { return kind == Kind::kExited ? value : 128 + value; }
  int Signal() const { return kind == Kind::kSignaled ? value : 0; }
  std::string Describe() const;
};

struct ProcessSpec {
  std::string name;                     // for traces, e.g. "default/job-master-0/pytorch"
  std::vector<std::string> argv;        // argv[0] is searched in PATH when it has no '/'
  std::vector<std::string> env;         // "NAME=value", the whole environment
  std::string working_dir;              // empty: the runner's default
  std::string log_path;                 // stdout and stderr, merged, appended here
  std::int64_t memory_limit_bytes = 0;  // 0: unlimited
  // For scripted containers: the script and which incarnation this is.
  const ContainerScript* script = nullptr;
  int incarnation = 0;
};

using ProcessId = std::uint64_t;

class ProcessRunner {
 public:
  struct Callbacks {
    using Output = std::function<void(std::string_view line)>;
    using Exit = std::function<void(const ProcessExit&)>;
    using LogRotated = std::function<void(const std::string& rotated_path)>;
    using LogError = std::function<void(const std::string& message)>;
    // Each may be left empty; `{on_output, on_exit}` is the usual pair.
    Callbacks(Output output = {}, Exit exit = {}, LogRotated log_rotated = {})
        : on_output(std::move(output)),
          on_exit(std::move(exit)),
          on_log_rotated(std::move(log_rotated)) {}

    // One line without its '\n'; a line longer than 16 KiB comes in pieces.
    Output on_output;
    Exit on_exit;
    // The log file was rotated: its earlier content is now in `rotated_path`.
    LogRotated on_log_rotated;
    // The log file could not be opened or written (a full disk): the message
    // names the file and the system's reason. Called once per incarnation.
    LogError on_log_error;
  };

  virtual ~ProcessRunner() = default;

  // Starts the process. Fails (with a message naming the command) when the
  // executable cannot be found or executed; then no callback is ever called.
  virtual Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) = 0;
  // Sends `signal` to the process's whole process group. SIGSTOP freezes it
  // (virtual time may then jump), SIGCONT thaws it. No-op once it has exited.
  virtual void Signal(ProcessId id, int signal) = 0;
  virtual bool Running(ProcessId id) const = 0;
  // The operating-system pid, or 0 for processes without one.
  virtual int Pid(ProcessId id) const = 0;
};

}  // namespace ptsim
