// A ProcessRunner wrapper with fault knobs (leveldb's EnvWrapper/ErrorEnv):
// it forwards everything to the runner it wraps, and can make a process end
// the way a fault says — with a given exit code, or OOM-killed — by killing it
// (SIGKILL) and reporting the requested end instead of the signal. Loop
// thread only.
#pragma once

#include <map>
#include <optional>

#include "fakes/process/process_runner.hpp"

namespace ptsim {

class FaultyRunner final : public ProcessRunner {
 public:
  explicit FaultyRunner(ProcessRunner& inner) : inner_(inner) {}

  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override {
    auto id = std::make_shared<ProcessId>(0);
    auto on_exit = std::move(callbacks.on_exit);
    callbacks.on_exit = [this, id, on_exit](const ProcessExit& exit) {
      ProcessExit reported = exit;
      if (auto it = overrides_.find(*id); it != overrides_.end()) {
        reported = it->second;
        overrides_.erase(it);
      }
      if (on_exit) on_exit(reported);
    };
    auto spawned = inner_.Spawn(spec, std::move(callbacks));
    if (spawned.ok()) *id = *spawned;
    return spawned;
  }
  void Signal(ProcessId id, int signal) override { inner_.Signal(id, signal); }
  bool Running(ProcessId id) const override { return inner_.Running(id); }
  int Pid(ProcessId id) const override { return inner_.Pid(id); }

  // Kills the process and reports `exit` as how it ended.
  void EndWith(ProcessId id, ProcessExit exit) {
    if (!inner_.Running(id)) return;
    overrides_[id] = exit;
    inner_.Signal(id, 9);  // SIGKILL
  }

 private:
  ProcessRunner& inner_;
  std::map<ProcessId, ProcessExit> overrides_;
};

}  // namespace ptsim
