// Faults on whole pods: freeze and thaw (SIGSTOP and SIGCONT to every process
// of the pod), delete and force-delete (as kubectl deletes a pod), and evict
// (node-pressure eviction by the kubelet) (docs/scenarios.md#actions).
#include <signal.h>

#include "sim/harness/faults/fault_families.hpp"
#include "sim/harness/faults/pod_fault_action.hpp"

namespace ptsim {
namespace {

void SignalPod(Simulation& sim, const FaultHit& hit, int signal) {
  auto pod = sim.api().collection<Pod>().Get(hit.ns, hit.pod);
  if (!pod) return;
  if (Kubelet* kubelet = sim.kubelets().Find(pod->spec.node_name)) {
    for (const auto& c : kubelet->RunningContainers(hit.ns, hit.pod))
      c.runner->Signal(c.process, signal);
  }
}

class FreezeAction final : public PodFaultAction {
 public:
  std::string_view name() const override { return "freeze"; }
  FaultScope scope() const override { return FaultScope::kPods; }
  std::vector<std::string_view> options() const override { return {"duration"}; }

 protected:
  void ApplyToPod(FaultFiring& firing, const FaultHit& hit, const Pod& pod,
                  Kubelet* kubelet) const override {
    for (const auto& c : HitContainers(hit, pod, kubelet, false))
      c.runner->Signal(c.process, SIGSTOP);
    if (!firing.spec.duration) return;
    Simulation& sim = firing.sim;
    sim.loop().After(*firing.spec.duration, [&sim, hit] { SignalPod(sim, hit, SIGCONT); });
  }
};

class ThawAction final : public PodFaultAction {
 public:
  std::string_view name() const override { return "thaw"; }
  FaultScope scope() const override { return FaultScope::kPods; }

 protected:
  void ApplyToPod(FaultFiring&, const FaultHit& hit, const Pod& pod,
                  Kubelet* kubelet) const override {
    for (const auto& c : HitContainers(hit, pod, kubelet, false))
      c.runner->Signal(c.process, SIGCONT);
  }
};

class DeleteAction final : public PodFaultAction {
 public:
  std::string_view name() const override { return "delete"; }
  FaultScope scope() const override { return FaultScope::kPods; }
  std::vector<std::string_view> options() const override { return {"gracePeriodSeconds"}; }

 protected:
  void ApplyToPod(FaultFiring& firing, const FaultHit& hit, const Pod&, Kubelet*) const override {
    firing.sim.api().collection<Pod>().Delete(hit.ns, hit.pod, firing.spec.grace_period);
  }
};

class ForceDeleteAction final : public PodFaultAction {
 public:
  std::string_view name() const override { return "force-delete"; }
  FaultScope scope() const override { return FaultScope::kPods; }
  bool HitsTerminatingPods() const override { return true; }

 protected:
  void ApplyToPod(FaultFiring& firing, const FaultHit& hit, const Pod&, Kubelet*) const override {
    firing.sim.api().collection<Pod>().Delete(hit.ns, hit.pod, 0);
  }
};

class EvictAction final : public PodFaultAction {
 public:
  std::string_view name() const override { return "evict"; }
  FaultScope scope() const override { return FaultScope::kPods; }
  FaultArgument argument() const override { return FaultArgument::kMessage; }

 protected:
  void ApplyToPod(FaultFiring& firing, const FaultHit& hit, const Pod&,
                  Kubelet* kubelet) const override {
    if (kubelet == nullptr) return;
    const std::string& message = firing.spec.message;
    kubelet->Evict(hit.ns, hit.pod,
                   message.empty() ? "The node was low on resource: memory. " : message);
  }
};

}  // namespace

std::vector<const FaultAction*> PodFaultActions() {
  static const FreezeAction freeze{};
  static const ThawAction thaw{};
  static const DeleteAction del{};
  static const ForceDeleteAction force_delete{};
  static const EvictAction evict{};
  return {&freeze, &thaw, &del, &force_delete, &evict};
}

}  // namespace ptsim
