#include "sim/harness/faults/pod_fault_action.hpp"

#include <algorithm>

namespace ptsim {

std::vector<std::string> PodFaultAction::Fire(FaultFiring& firing) const {
  std::vector<std::string> targets;
  for (const FaultHit& hit : firing.hits) {
    if (auto pod = firing.sim.api().collection<Pod>().Get(hit.ns, hit.pod)) {
      ApplyToPod(firing, hit, *pod, firing.sim.kubelets().Find(pod->spec.node_name));
    }
    targets.push_back(hit.container.empty() ? hit.pod : hit.pod + "/" + hit.container);
  }
  return targets;
}

std::vector<Kubelet::RunningContainer> HitContainers(const FaultHit& hit, const Pod& pod,
                                                     Kubelet* kubelet, bool app_only) {
  std::vector<Kubelet::RunningContainer> out;
  if (kubelet == nullptr) return out;
  auto is_init = [&](const std::string& name) {
    return std::any_of(pod.spec.init_containers.begin(), pod.spec.init_containers.end(),
                       [&](const Container& c) { return c.name == name; });
  };
  for (const auto& c : kubelet->RunningContainers(hit.ns, hit.pod)) {
    if (!hit.container.empty() && c.container != hit.container) continue;
    // Without a container name, container faults hit the app containers.
    if (hit.container.empty() && app_only && is_init(c.container)) continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace ptsim
