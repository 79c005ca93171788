// A ProcessRunner for tests (ninja's FakeCommandRunner): it starts nothing,
// records every spawn and every signal, and lets the test decide when and how
// each process prints and ends. By default a terminating signal ends the
// process at once with that signal, as a process without handlers would.
// Loop thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fakes/process/process_runner.hpp"
#include "sim/core/event_loop.hpp"

namespace ptsim {

class RecordingProcessRunner final : public ProcessRunner {
 public:
  struct SignalRecord {
    ProcessId id;
    int signal;
    Time at;
  };

  explicit RecordingProcessRunner(EventLoop& loop) : loop_(loop) {}

  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override;
  void Signal(ProcessId id, int signal) override;
  bool Running(ProcessId id) const override { return live_.count(id) > 0; }
  int Pid(ProcessId) const override { return 0; }

  // Test controls.
  void Output(ProcessId id, const std::string& line);
  void End(ProcessId id, ProcessExit exit);
  // When false, signals are only recorded; the test ends processes itself.
  void set_signals_end_processes(bool value) { signals_end_processes_ = value; }
  // When set, Spawn fails for this argv[0] with the given message.
  void FailSpawnsOf(std::string command, std::string message);

  const std::vector<ProcessSpec>& spawns() const { return spawns_; }
  const std::vector<SignalRecord>& signals() const { return signals_; }
  // The id of the most recent spawn whose spec.name equals `name`, or 0.
  ProcessId Find(const std::string& name) const;

 private:
  EventLoop& loop_;
  std::vector<ProcessSpec> spawns_;
  std::vector<ProcessId> ids_;
  std::vector<SignalRecord> signals_;
  std::map<ProcessId, Callbacks> live_;
  std::map<std::string, std::string> failing_;
  bool signals_end_processes_ = true;
};

}  // namespace ptsim
