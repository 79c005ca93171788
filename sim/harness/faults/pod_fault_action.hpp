// The base of the actions on pods and their containers (container_faults.cpp,
// pod_faults.cpp): a firing visits each hit pod that still exists, with its
// node's kubelet, and the report lists each hit as "pod" or "pod/container".
// Loop thread only.
#pragma once

#include <string>
#include <vector>

#include "fakes/kubelet/kubelet.hpp"
#include "sim/harness/faults/fault_action.hpp"
#include "sim/harness/faults/fault_firing.hpp"

namespace ptsim {

class PodFaultAction : public FaultAction {
 public:
  std::vector<std::string> Fire(FaultFiring& firing) const final;

 protected:
  // Acts on `pod`, the pod of `hit`; `kubelet` is its node's (nullptr when
  // the pod is not bound, or its node is gone).
  virtual void ApplyToPod(FaultFiring& firing, const FaultHit& hit, const Pod& pod,
                          Kubelet* kubelet) const = 0;
};

// The running containers of `pod` that `hit` names: its container, or with
// none named every one, except init containers when `app_only`.
std::vector<Kubelet::RunningContainer> HitContainers(const FaultHit& hit, const Pod& pod,
                                                     Kubelet* kubelet, bool app_only);

}  // namespace ptsim
