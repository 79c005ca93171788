// Faults on the processes of containers: kill (a signal), exit (an exit
// code) and oom (an OOM kill). Without a container name they hit a pod's app
// containers (docs/scenarios.md#actions).
#include <signal.h>

#include "sim/harness/faults/fault_families.hpp"
#include "sim/harness/faults/pod_fault_action.hpp"

namespace ptsim {
namespace {

class KillAction final : public PodFaultAction {
 public:
  std::string_view name() const override { return "kill"; }
  FaultScope scope() const override { return FaultScope::kContainers; }
  FaultArgument argument() const override { return FaultArgument::kSignal; }

 protected:
  void ApplyToPod(FaultFiring& firing, const FaultHit& hit, const Pod& pod,
                  Kubelet* kubelet) const override {
    for (const auto& c : HitContainers(hit, pod, kubelet, true))
      c.runner->Signal(c.process, firing.spec.signal);
  }
};

// Ends the containers with a chosen exit: a scripted container just ends so;
// a real process is SIGKILLed and FaultyRunner reports the chosen exit.
class EndAction : public PodFaultAction {
 public:
  FaultScope scope() const override { return FaultScope::kContainers; }

 protected:
  virtual ProcessExit Exit(const FaultSpec& f) const = 0;

  void ApplyToPod(FaultFiring& firing, const FaultHit& hit, const Pod& pod,
                  Kubelet* kubelet) const override {
    FaultyRunner& faulty = firing.sim.faulty_runner();
    for (const auto& c : HitContainers(hit, pod, kubelet, true)) {
      if (c.runner == &faulty) {
        faulty.EndWith(c.process, Exit(firing.spec));
      } else {
        c.runner->Signal(c.process, SIGKILL);
      }
    }
  }
};

class ExitAction final : public EndAction {
 public:
  std::string_view name() const override { return "exit"; }
  FaultArgument argument() const override { return FaultArgument::kExitCode; }

 protected:
  ProcessExit Exit(const FaultSpec& f) const override { return ProcessExit::Exited(f.exit_code); }
};

class OomAction final : public EndAction {
 public:
  std::string_view name() const override { return "oom"; }

 protected:
  ProcessExit Exit(const FaultSpec&) const override {
    ProcessExit exit = ProcessExit::Signaled(SIGKILL);
    exit.oom_killed = true;
    return exit;
  }
};

}  // namespace

std::vector<const FaultAction*> ContainerFaultActions() {
  static const KillAction kill{};
  static const ExitAction exit{};
  static const OomAction oom{};
  return {&kill, &exit, &oom};
}

}  // namespace ptsim
