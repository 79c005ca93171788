// Routes each spawn to the scripted runner (specs with a script) or to the
// runner for real processes, behind one ProcessRunner and one id space. The
// route is encoded in the id itself (the inner id shifted left by one, the low
// bit set for the scripted runner), so the mux keeps no per-process state and
// an id stays valid, as a no-op, after its process has ended.
#pragma once

#include "fakes/process/process_runner.hpp"

namespace ptsim {

class RunnerMux final : public ProcessRunner {
 public:
  RunnerMux(ProcessRunner& real, ProcessRunner& scripted) : real_(real), scripted_(scripted) {}

  // REQUIRES: the inner runners' ids stay below 2^63.
  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override {
    const bool scripted = spec.script != nullptr;
    auto inner = (scripted ? scripted_ : real_).Spawn(spec, std::move(callbacks));
    if (!inner.ok()) return inner.diagnostics();
    return (*inner << 1) | (scripted ? 1u : 0u);
  }
  void Signal(ProcessId id, int signal) override { Route(id).Signal(id >> 1, signal); }
  bool Running(ProcessId id) const override { return Route(id).Running(id >> 1); }
  int Pid(ProcessId id) const override { return Route(id).Pid(id >> 1); }

 private:
  ProcessRunner& Route(ProcessId id) const { return (id & 1) != 0 ? scripted_ : real_; }

  ProcessRunner& real_;
  ProcessRunner& scripted_;
};

}  // namespace ptsim
