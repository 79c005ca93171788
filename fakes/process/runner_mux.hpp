// Routes each spawn to the scripted runner (specs with a script) or to the
// runner for real processes, behind one ProcessRunner and one id space.
#pragma once

#include <map>
#include <utility>

#include "fakes/process/process_runner.hpp"

namespace ptsim {

class RunnerMux final : public ProcessRunner {
 public:
  RunnerMux(ProcessRunner& real, ProcessRunner& scripted) : real_(real), scripted_(scripted) {}

  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override {
    ProcessRunner& runner = spec.script ? scripted_ : real_;
    auto inner = runner.Spawn(spec, std::move(callbacks));
    if (!inner.ok()) return inner.diagnostics();
    const ProcessId id = next_id_++;
    routes_[id] = {&runner, *inner};
    return id;
  }
  void Signal(ProcessId id, int signal) override {
    if (auto it = routes_.find(id); it != routes_.end())
      it->second.first->Signal(it->second.second, signal);
  }
  bool Running(ProcessId id) const override {
    auto it = routes_.find(id);
    return it != routes_.end() && it->second.first->Running(it->second.second);
  }
  int Pid(ProcessId id) const override {
    auto it = routes_.find(id);
    return it == routes_.end() ? 0 : it->second.first->Pid(it->second.second);
  }
  // Drops the route once the caller has seen the process end.
  void Forget(ProcessId id) { routes_.erase(id); }

 private:
  ProcessRunner& real_;
  ProcessRunner& scripted_;
  ProcessId next_id_ = 1;
  std::map<ProcessId, std::pair<ProcessRunner*, ProcessId>> routes_;
};

}  // namespace ptsim
