// The scheduler: binds Pending pods to nodes, first come first served, the way
// kube-scheduler's default profile would for training pods.
//
// Filters (pkg/scheduler/framework/plugins): the node is Ready, not cordoned
// (spec.unschedulable), has no NoSchedule/NoExecute taint the pod does not
// tolerate, matches the pod's nodeSelector, and has room for the pod's
// effective requests (cpu, memory, nvidia.com/gpu, ... and the pod count).
// Among the nodes that fit, the least allocated wins; ties go to the first by
// name, so placement is deterministic. A pod that fits nowhere stays Pending
// with PodScheduled=False/Unschedulable and a FailedScheduling event carrying
// kube-scheduler's message, and is retried when nodes or pods change.
// Loop thread only.
#pragma once

#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "fakes/apiserver/api_server.hpp"
#include "sim/model/node.hpp"

namespace ptsim {

class Scheduler {
 public:
  static constexpr const char* kName = "default-scheduler";

  explicit Scheduler(ApiServer& api);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Pods waiting for a node (unschedulable ones included).
  std::size_t pending() const { return queue_.size() + unschedulable_.size(); }

 private:
  using Key = std::pair<std::string, std::string>;  // namespace, name

  void OnPod(const WatchEvent<Pod>& event);
  void OnNode(const WatchEvent<Node>& event);
  void Account(const Pod& pod);
  void Unaccount(const std::string& uid);
  void RequestCycle();
  void Cycle();
  // Returns the chosen node, or the FailedScheduling message in `why`.
  std::string PickNode(const Pod& pod, std::string* why) const;
  void RetryUnschedulable();

  ApiServer& api_;
  std::deque<Key> queue_;
  std::set<Key> queued_;
  std::set<Key> unschedulable_;
  struct Usage {
    std::map<std::string, std::int64_t> milli;  // resource -> requested milli-units
    std::int64_t pods = 0;
  };
  std::map<std::string, Usage> usage_;                                  // by node
  std::map<std::string, std::pair<std::string, ResourceList>> placed_;  // pod uid -> node, requests
  bool cycle_pending_ = false;
};

}  // namespace ptsim
