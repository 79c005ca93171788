// How the kubelet derives a pod's phase and conditions from its containers
// (pkg/kubelet/kubelet_pods.go: getPhase, generateAPIPodStatus;
// pkg/kubelet/status/generate.go for the conditions). Pure functions.
#pragma once

#include <string>

#include "sim/model/pod.hpp"

namespace ptsim {

// The phase for `status`'s container statuses under `spec`:
//  - Pending while init containers have not all succeeded (a failed init
//    container under restartPolicy Never makes the pod Failed), or while any
//    app container is waiting without having run before;
//  - Running while at least one container runs, or while all have stopped but
//    some will restart (Always always restarts; OnFailure restarts failures);
//  - Succeeded when all stopped with exit 0 and none will restart (Always
//    never succeeds unless `terminal`), Failed when all stopped, one failed,
//    and none will restart.
// `terminal` is true for a pod that is being deleted or evicted: its
// containers will not restart whatever the policy.
std::string PodPhase(const PodSpec& spec, const PodStatus& status, bool terminal);

// Sets the PodReadyToStartContainers, Initialized, ContainersReady and Ready
// conditions from the container statuses (PodScheduled is the scheduler's).
void SetPodConditions(const PodSpec& spec, PodStatus* status, Time now);

}  // namespace ptsim
