// kube-controller-manager's node lifecycle and taint-eviction controllers, for
// nodes that stop reporting (pkg/controller/nodelifecycle,
// pkg/controller/tainteviction; docs/upstream/kubernetes.md#node-lifecycle):
//  - when a node's kubelet stops posting status, after the node monitor grace
//    period (40s up to v1.31) its Ready condition becomes Unknown
//    (NodeStatusUnknown, "Kubelet stopped posting node status."), it gets the
//    node.kubernetes.io/unreachable taints (NoSchedule at once, NoExecute on
//    the next pass, 5s later), and its pods' Ready condition turns False with
//    a NodeNotReady event — their phase stays Running;
//  - 300s after the NoExecute taint (the toleration the
//    DefaultTolerationSeconds admission plugin gives every pod; a pod's own
//    tolerationSeconds is not read) pods are deleted gracefully, unless they
//    tolerate the taint forever; with the kubelet gone they stay Terminating;
//  - if every node is not ready, nothing is evicted (full disruption mode);
//  - when the kubelet posts again the node is Ready and the taints go.
// The kubelet's own state (crashed or not) is the Kubelet's; this controller
// is told when a node's kubelet stops and resumes posting. Loop thread only.
#pragma once

#include <map>
#include <string>

#include "fakes/apiserver/api_server.hpp"
#include "sim/core/notes.hpp"
#include "sim/model/node.hpp"

namespace ptsim {

class NodeLifecycleController {
 public:
  struct Options {
    Duration node_monitor_grace_period = std::chrono::seconds(40);
    Duration node_monitor_period = std::chrono::seconds(5);
    Duration default_toleration = std::chrono::seconds(300);
  };

  NodeLifecycleController(ApiServer& api, Notes& notes, Options options);

  // The node's kubelet stopped posting status (its machine died).
  void KubeletStopped(const std::string& node);
  // The node's kubelet posts status again.
  void KubeletResumed(const std::string& node);

 private:
  void MarkUnknown(const std::string& node, std::uint64_t epoch);
  void TaintNoExecute(const std::string& node, std::uint64_t epoch);
  void EvictPods(const std::string& node, std::uint64_t epoch);
  bool AllNodesNotReady() const;

  ApiServer& api_;
  Notes& notes_;
  Options options_;
  std::map<std::string, std::uint64_t> epochs_;  // bumps on every stop/resume
};

}  // namespace ptsim
