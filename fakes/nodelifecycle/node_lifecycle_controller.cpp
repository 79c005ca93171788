#include "fakes/nodelifecycle/node_lifecycle_controller.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ptsim {
namespace {

constexpr const char* kUnreachable = "node.kubernetes.io/unreachable";

}  // namespace

NodeLifecycleController::NodeLifecycleController(ApiServer& api, Notes& notes, Options options)
    : api_(api), notes_(notes), options_(options) {}

void NodeLifecycleController::KubeletStopped(const std::string& node) {
  const std::uint64_t epoch = ++epochs_[node];
  api_.loop().After(options_.node_monitor_grace_period,
                    [this, node, epoch] { MarkUnknown(node, epoch); });
}

void NodeLifecycleController::KubeletResumed(const std::string& node) {
  ++epochs_[node];
  const Time now = api_.loop().Now();
  api_.collection<Node>().Mutate("", node, [&](Node& n) {
    for (auto& c : n.status.conditions) {
      if (c.type != "Ready") continue;
      if (c.status != "True") c.last_transition_time = now;
      c.status = "True";
      c.reason = "KubeletReady";
      c.message = "kubelet is posting ready status";
      c.last_heartbeat_time = now;
    }
    n.spec.taints.erase(std::remove_if(n.spec.taints.begin(), n.spec.taints.end(),
                                       [](const Taint& t) { return t.key == kUnreachable; }),
                        n.spec.taints.end());
  });
  api_.events().Record({"Node", "", node, "", ""}, "Normal", "NodeReady",
                       fmt::format("Node {} status is now: NodeReady", node), "kubelet");
  api_.trace().Recordf(now, "node-lifecycle", "{} is Ready again", node);
}

void NodeLifecycleController::MarkUnknown(const std::string& node, std::uint64_t epoch) {
  if (epochs_[node] != epoch) return;
  const Time now = api_.loop().Now();
  api_.collection<Node>().Mutate("", node, [&](Node& n) {
    for (auto& c : n.status.conditions) {
      if (c.type != "Ready") continue;
      c.status = "Unknown";
      c.reason = "NodeStatusUnknown";
      c.message = "Kubelet stopped posting node status.";
      c.last_transition_time = now;
    }
    n.spec.taints.push_back({kUnreachable, "", "NoSchedule", now});
  });
  api_.events().Record({"Node", "", node, "", ""}, "Normal", "NodeNotReady",
                       fmt::format("Node {} status is now: NodeNotReady", node), "node-controller");
  api_.trace().Recordf(now, "node-lifecycle", "{}: Ready=Unknown (kubelet stopped posting status)",
                       node);
  // MarkPodsNotReady: only the pods' Ready condition changes.
  for (const auto& pod : api_.collection<Pod>().List()) {
    if (pod->spec.node_name != node) continue;
    api_.collection<Pod>().Mutate(pod->metadata.namespace_, pod->metadata.name, [&](Pod& p) {
      for (auto& c : p.status.conditions) {
        if (c.type == "Ready" && c.status != "False") {
          c.status = "False";
          c.last_transition_time = now;
        }
      }
    });
    api_.events().Record(
        {"Pod", pod->metadata.namespace_, pod->metadata.name, pod->metadata.uid, ""}, "Warning",
        "NodeNotReady", "Node is not ready", "node-controller");
  }
  api_.loop().After(options_.node_monitor_period,
                    [this, node, epoch] { TaintNoExecute(node, epoch); });
}

bool NodeLifecycleController::AllNodesNotReady() const {
  for (const auto& n : api_.collection<Node>().List()) {
    if (n->IsReady()) return false;
  }
  return true;
}

void NodeLifecycleController::TaintNoExecute(const std::string& node, std::uint64_t epoch) {
  if (epochs_[node] != epoch) return;
  if (AllNodesNotReady()) {
    // "Controller detected that all Nodes are not-Ready. Entering master disruption mode."
    notes_.AddOnce(
        api_.loop().Now(),
        "every node is not ready: kube-controller-manager enters full disruption mode and "
        "evicts no pods, so pods on the lost node keep their Running phase",
        "kubernetes pkg/controller/nodelifecycle");
    return;
  }
  const Time now = api_.loop().Now();
  api_.collection<Node>().Mutate("", node, [&](Node& n) {
    n.spec.taints.push_back({kUnreachable, "", "NoExecute", now});
  });
  api_.loop().After(options_.default_toleration, [this, node, epoch] { EvictPods(node, epoch); });
}

void NodeLifecycleController::EvictPods(const std::string& node, std::uint64_t epoch) {
  if (epochs_[node] != epoch) return;
  for (const auto& pod : api_.collection<Pod>().List()) {
    if (pod->spec.node_name != node || pod->metadata.deletion_timestamp) continue;
    // A pod's own toleration for the taint replaces the default 300s.
    bool tolerates_forever = false;
    for (const auto& t : pod->spec.tolerations) {
      if ((t.key == kUnreachable || (t.key.empty() && t.op == "Exists")) &&
          (t.effect.empty() || t.effect == "NoExecute") && !t.toleration_seconds) {
        tolerates_forever = true;
      }
    }
    if (tolerates_forever) continue;
    api_.events().Record(
        {"Pod", pod->metadata.namespace_, pod->metadata.name, pod->metadata.uid, ""}, "Normal",
        "TaintManagerEviction",
        fmt::format("Marking for deletion Pod {}/{}", pod->metadata.namespace_, pod->metadata.name),
        "taint-eviction-controller");
    const Time now = api_.loop().Now();
    api_.collection<Pod>().Mutate(pod->metadata.namespace_, pod->metadata.name, [&](Pod& p) {
      p.status.SetCondition({"DisruptionTarget", "True", "DeletionByTaintManager",
                             "Taint manager: deleting due to NoExecute taint", now});
    });
    api_.collection<Pod>().Delete(pod->metadata.namespace_, pod->metadata.name);
  }
}

}  // namespace ptsim
