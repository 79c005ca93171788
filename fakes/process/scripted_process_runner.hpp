// Scripted containers (sim/model/container_script.hpp): processes that exist
// only in virtual time. They print their `log` lines, run for their `run`
// durations, and end as their script says, with the same callbacks and the
// same signal semantics as real processes: SIGKILL ends them at once, other
// terminating signals end them unless frozen, SIGSTOP freezes their timers and
// SIGCONT thaws them (delivering a termination signal that arrived meanwhile).
// They never hold the loop in real time, so runs made only of scripted
// containers are instant and deterministic. Loop thread only.
#pragma once

#include <map>
#include <memory>

#include "fakes/process/container_log.hpp"
#include "fakes/process/process_runner.hpp"
#include "sim/core/event_loop.hpp"

namespace ptsim {

class ScriptedProcessRunner final : public ProcessRunner {
 public:
  // Logs are rotated and capped by `log_policy`, as RealProcessRunner's are.
  explicit ScriptedProcessRunner(EventLoop& loop, ContainerLogPolicy log_policy = {});
  ~ScriptedProcessRunner() override;

  // REQUIRES: spec.script != nullptr.
  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override;
  void Signal(ProcessId id, int signal) override;
  bool Running(ProcessId id) const override { return processes_.count(id) > 0; }
  int Pid(ProcessId) const override { return 0; }
  std::size_t alive() const { return processes_.size(); }

 private:
  struct Process;
  void Step(ProcessId id);
  void Emit(Process& p, const std::string& line);
  void End(ProcessId id, ProcessExit exit);

  EventLoop& loop_;
  ContainerLogPolicy log_policy_;
  ProcessId next_id_ = 1;
  std::map<ProcessId, std::unique_ptr<Process>> processes_;
};

}  // namespace ptsim
