#include "fakes/process/scripted_process_runner.hpp"

#include <fmt/format.h>
#include <signal.h>

#include "fakes/process/container_line_log.hpp"

namespace ptsim {

struct ScriptedProcessRunner::Process {
  Process(const std::string& log_path, Callbacks c, ContainerLogPolicy policy)
      : callbacks(std::move(c)), log(log_path, callbacks, policy) {}
  Callbacks callbacks;
  ContainerLineLog log;  // the only part of the spec a scripted container needs
  const ScriptIncarnation* script = nullptr;
  std::size_t step = 0;      // the next step to run
  int steps_logged = 0;      // progress within a kSteps step
  EventLoop::TimerId timer;  // the pending end of a run or the next step line
  Time timer_at{};
  Duration remaining{0};  // what was left of the timer when frozen
  bool frozen = false;
  int pending_signal = 0;  // a terminating signal that arrived while frozen
};

ScriptedProcessRunner::ScriptedProcessRunner(EventLoop& loop, ContainerLogPolicy log_policy)
    : loop_(loop), log_policy_(log_policy) {}

ScriptedProcessRunner::~ScriptedProcessRunner() {
  for (auto& [id, p] : processes_)
    loop_.Cancel(p->timer);
}

Result<ProcessId> ScriptedProcessRunner::Spawn(const ProcessSpec& spec, Callbacks callbacks) {
  auto p = std::make_unique<Process>(spec.log_path, std::move(callbacks), log_policy_);
  p->script = &spec.script->ForRestart(spec.incarnation);
  const ProcessId id = next_id_++;
  processes_.emplace(id, std::move(p));
  loop_.Post([this, id] { Step(id); });
  return id;
}

void ScriptedProcessRunner::Emit(Process& p, const std::string& line) {
  p.log.Write(line);
  if (p.callbacks.on_output) p.callbacks.on_output(line);
}

void ScriptedProcessRunner::Step(ProcessId id) {
  for (;;) {
    auto it = processes_.find(id);
    if (it == processes_.end()) return;
    Process& p = *it->second;
    p.timer = {};
    if (p.frozen) return;
    if (p.step >= p.script->steps.size()) {
      End(id, ProcessExit::Exited(0));
      return;
    }
    const ScriptStep& s = p.script->steps[p.step];
    switch (s.kind) {
      case ScriptStep::Kind::kRun:
        ++p.step;
        p.timer_at = loop_.Now() + s.duration;
        p.timer = loop_.At(p.timer_at, [this, id] { Step(id); });
        return;
      case ScriptStep::Kind::kSteps:
        if (p.steps_logged > 0) Emit(p, fmt::format("step {}", p.steps_logged));
        if (p.steps_logged == s.value) {
          p.steps_logged = 0;
          ++p.step;
          continue;
        }
        ++p.steps_logged;
        p.timer_at = loop_.Now() + s.duration;
        p.timer = loop_.At(p.timer_at, [this, id] { Step(id); });
        return;
      case ScriptStep::Kind::kLog:
        ++p.step;
        Emit(p, s.text);
        continue;
      case ScriptStep::Kind::kExit:
        End(id, ProcessExit::Exited(s.value));
        return;
      case ScriptStep::Kind::kSignal:
        End(id, ProcessExit::Signaled(s.value));
        return;
      case ScriptStep::Kind::kOom: {
        ProcessExit exit = ProcessExit::Signaled(SIGKILL);
        exit.oom_killed = true;
        End(id, exit);
        return;
      }
      case ScriptStep::Kind::kForever:
        return;
    }
  }
}

void ScriptedProcessRunner::End(ProcessId id, ProcessExit exit) {
  auto it = processes_.find(id);
  if (it == processes_.end()) return;
  auto p = std::move(it->second);
  processes_.erase(it);
  loop_.Cancel(p->timer);
  if (p->callbacks.on_exit) p->callbacks.on_exit(exit);
}

void ScriptedProcessRunner::Signal(ProcessId id, int signal) {
  auto it = processes_.find(id);
  if (it == processes_.end()) return;
  Process& p = *it->second;
  switch (signal) {
    case SIGSTOP:
    case SIGTSTP:
      if (p.frozen) return;
      p.frozen = true;
      if (p.timer) {
        p.remaining = p.timer_at - loop_.Now();
        loop_.Cancel(p.timer);
      } else {
        p.remaining = Duration{-1};  // was between steps or running forever
      }
      return;
    case SIGCONT:
      if (!p.frozen) return;
      p.frozen = false;
      if (p.pending_signal != 0) {
        const int pending = p.pending_signal;
        loop_.Post([this, id, pending] { End(id, ProcessExit::Signaled(pending)); });
        return;
      }
      if (p.remaining >= Duration{0}) {
        p.timer_at = loop_.Now() + p.remaining;
        p.timer = loop_.At(p.timer_at, [this, id] { Step(id); });
      } else if (p.step < p.script->steps.size() &&
                 p.script->steps[p.step].kind != ScriptStep::Kind::kForever) {
        loop_.Post([this, id] { Step(id); });
      }
      return;
    case SIGCHLD:
    case SIGURG:
    case SIGWINCH:
      return;  // ignored by default
    case SIGKILL:
      loop_.Post([this, id] { End(id, ProcessExit::Signaled(SIGKILL)); });
      return;
    default:
      if (p.frozen) {
        if (p.pending_signal == 0) p.pending_signal = signal;
        return;
      }
      loop_.Post([this, id, signal] { End(id, ProcessExit::Signaled(signal)); });
      return;
  }
}

}  // namespace ptsim
