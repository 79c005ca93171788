#include "fakes/process/recording_process_runner.hpp"

#include <signal.h>

namespace ptsim {

Result<ProcessId> RecordingProcessRunner::Spawn(const ProcessSpec& spec, Callbacks callbacks) {
  if (!spec.argv.empty()) {
    if (auto it = failing_.find(spec.argv[0]); it != failing_.end()) {
      Diagnostics d;
      d.Error({}, spec.name, "", it->second);
      return d;
    }
  }
  const ProcessId id = spawns_.size() + 1;
  spawns_.push_back(spec);
  ids_.push_back(id);
  live_.emplace(id, std::move(callbacks));
  return id;
}

void RecordingProcessRunner::Signal(ProcessId id, int signal) {
  signals_.push_back({id, signal, loop_.Now()});
  if (!signals_end_processes_ || !live_.count(id)) return;
  if (signal == SIGSTOP || signal == SIGCONT || signal == SIGCHLD) return;
  loop_.Post([this, id, signal] { End(id, ProcessExit::Signaled(signal)); });
}

void RecordingProcessRunner::Output(ProcessId id, const std::string& line) {
  auto it = live_.find(id);
  if (it != live_.end() && it->second.on_output) it->second.on_output(line);
}

void RecordingProcessRunner::End(ProcessId id, ProcessExit exit) {
  auto it = live_.find(id);
  if (it == live_.end()) return;
  auto callbacks = std::move(it->second);
  live_.erase(it);
  if (callbacks.on_exit) callbacks.on_exit(exit);
}

void RecordingProcessRunner::FailSpawnsOf(std::string command, std::string message) {
  failing_[std::move(command)] = std::move(message);
}

ProcessId RecordingProcessRunner::Find(const std::string& name) const {
  for (std::size_t i = spawns_.size(); i-- > 0;) {
    if (spawns_[i].name == name) return ids_[i];
  }
  return 0;
}

}  // namespace ptsim
