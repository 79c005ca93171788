// A "python-task" (an Elastic task with the integer nnodes 1, or any plain
// Python task template) as flytepropeller runs it: as one pod, through the
// pod plugin (flyteplugins go/tasks/plugins/k8s/pod/plugin.go) rather than
// the kubeflow plugin.
//
// BuildTaskPod is the pod plugin's BuildResource for a container or k8sPod
// target (BuildRawPod + ApplyFlytePodConfiguration, i.e. ToK8sPodSpec; the
// "primary_container_name" annotation when the pod has one container; the
// execution's service account) followed by the plugin manager's
// addObjectMetadata. The primary container keeps its name.
//
// GetPodTaskPhase is GetTaskPhaseWithLogs / DemystifyPodStatus
// (pluginmachinery/flytek8s/pod_helper.go) on the pod's status, without log
// links: Succeeded -> DemystifySuccess (an OOMKilled container turns success
// into a retryable "OOMKilled" failure); Failed -> DemystifyFailure (the pod
// reason or "UnknownError" as the code; OOMKilled; a SIGKILLed primary
// container, an unknown reason and the node-shutdown reasons are SYSTEM
// "Interrupted" failures that do not use a user retry; otherwise a USER
// retryable failure whose message lists each terminated container as
// "\r\n[<name>] terminated with exit code (<code>). Reason [<reason>].
// Message: \n<message>."); Pending -> DemystifyPending (unschedulable pods and
// pods waiting to be scheduled are Queued with "<reason>:<message>";
// ContainerCreating/PodInitializing/ErrImagePull are Initializing;
// ImagePullBackOff becomes a retryable failure after its 3m grace period,
// CreateContainerError after 3m, CreateContainerConfigError at once,
// InvalidImageName at once; any other waiting reason is a SYSTEM failure);
// Running -> the primary container's state (DeterminePrimaryContainerPhase),
// or Running. Pod pending timeouts (off by default) are not modelled.
// Plain functions; any thread.
#pragma once

#include <nlohmann/json.hpp>

#include "fakes/flyte/phase.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

inline constexpr char kPrimaryContainerAnnotation[] = "primary_container_name";

// A v1 Pod manifest (apiVersion, kind, metadata, spec).
Result<nlohmann::json> BuildTaskPod(const nlohmann::json& task_template,
                                    const TaskExecution& execution, const PluginConfig& config);

// `pod` is the Pod as JSON (metadata.annotations, status.phase, reason,
// message, conditions[{type, status, reason, message, lastTransitionTime}],
// initContainerStatuses/containerStatuses[{name, ready, state, lastState}]);
// times are seconds (or RFC 3339); `now` is seconds.
PhaseInfo DemystifyPodStatus(const nlohmann::json& pod, double now);
PhaseInfo GetPodTaskPhase(const nlohmann::json& pod, double now, const PluginState& state);

}  // namespace ptsim::flyte
