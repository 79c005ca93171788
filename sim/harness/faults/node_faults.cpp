// Faults on nodes: node-down and node-up (the machine dies and comes back,
// through the kubelet and the node lifecycle controller), cordon and uncordon
// (spec.unschedulable) (docs/scenarios.md#actions). A node fault hits
// target.node, or the nodes of the target pods; the report lists "node/NAME".
#include "sim/harness/faults/fault_families.hpp"
#include "sim/harness/faults/fault_firing.hpp"

namespace ptsim {
namespace {

class NodeFaultAction : public FaultAction {
 public:
  FaultScope scope() const override { return FaultScope::kNodes; }

  std::vector<std::string> Fire(FaultFiring& firing) const final {
    std::vector<std::string> targets;
    for (const FaultHit& hit : firing.hits) {
      std::string node = hit.node;
      if (node.empty()) {
        if (auto pod = firing.sim.api().collection<Pod>().Get(hit.ns, hit.pod)) {
          node = pod->spec.node_name;
        }
      }
      if (node.empty()) continue;
      ApplyToNode(firing, node);
      targets.push_back("node/" + node);
    }
    return targets;
  }

 protected:
  virtual void ApplyToNode(FaultFiring& firing, const std::string& node) const = 0;
};

void SetUnschedulable(Simulation& sim, const std::string& node, bool value) {
  sim.api().collection<Node>().Mutate("", node, [&](Node& n) { n.spec.unschedulable = value; });
}

void BringUp(Simulation& sim, const std::string& node) {
  if (Kubelet* kubelet = sim.kubelets().Find(node)) {
    kubelet->Recover();
    sim.node_lifecycle().KubeletResumed(node);
  }
}

class NodeDownAction final : public NodeFaultAction {
 public:
  std::string_view name() const override { return "node-down"; }
  std::vector<std::string_view> options() const override { return {"duration"}; }

 protected:
  void ApplyToNode(FaultFiring& firing, const std::string& node) const override {
    Simulation& sim = firing.sim;
    Kubelet* kubelet = sim.kubelets().Find(node);
    if (kubelet == nullptr || kubelet->crashed()) return;
    kubelet->Crash();
    sim.node_lifecycle().KubeletStopped(node);
    if (firing.spec.duration) {
      sim.loop().After(*firing.spec.duration, [&sim, node] { BringUp(sim, node); });
    }
  }
};

class NodeUpAction final : public NodeFaultAction {
 public:
  std::string_view name() const override { return "node-up"; }

 protected:
  void ApplyToNode(FaultFiring& firing, const std::string& node) const override {
    Kubelet* kubelet = firing.sim.kubelets().Find(node);
    if (kubelet && kubelet->crashed()) BringUp(firing.sim, node);
  }
};

class CordonAction final : public NodeFaultAction {
 public:
  std::string_view name() const override { return "cordon"; }
  std::vector<std::string_view> options() const override { return {"duration"}; }

 protected:
  void ApplyToNode(FaultFiring& firing, const std::string& node) const override {
    Simulation& sim = firing.sim;
    SetUnschedulable(sim, node, true);
    if (firing.spec.duration) {
      sim.loop().After(*firing.spec.duration, [&sim, node] { SetUnschedulable(sim, node, false); });
    }
  }
};

class UncordonAction final : public NodeFaultAction {
 public:
  std::string_view name() const override { return "uncordon"; }

 protected:
  void ApplyToNode(FaultFiring& firing, const std::string& node) const override {
    SetUnschedulable(firing.sim, node, false);
  }
};

}  // namespace

std::vector<const FaultAction*> NodeFaultActions() {
  static const NodeDownAction node_down{};
  static const NodeUpAction node_up{};
  static const CordonAction cordon{};
  static const UncordonAction uncordon{};
  return {&node_down, &node_up, &cordon, &uncordon};
}

}  // namespace ptsim
