// The Flyte task phase flytepropeller derives from a PyTorchJob
// (kfoperators/pytorch/pytorch.go GetTaskPhase, kfoperators/common/
// common_operator.go ExtractCurrentCondition/GetPhaseInfo,
// pluginmachinery/k8s/plugin.go MaybeUpdatePhaseVersion).
//
// Input: the PyTorchJob as JSON (spec.pytorchReplicaSpecs, spec.runPolicy.suspend,
// status.conditions[{type,status,reason,message,lastTransitionTime}],
// status.startTime), its name/namespace, its creation time and "now" as plain
// seconds, the stored plugin state, the task execution and template (for log
// links) and the plugin config. Condition and start times may be numbers of
// seconds or RFC 3339 strings. Rules: not suspended, no startTime and created
// more than kf-operator.timeout (1 min) ago -> error "kubeflow operator hasn't
// updated the pytorch custom resource since creation time <t>"; otherwise the
// True condition with the latest lastTransitionTime decides: none/Created ->
// Queued "JobCreated", Running/Restarting -> Running, Succeeded -> Success,
// Failed -> RetryableFailure (DownstreamSystemError, "Job failed:\n\t<Reason> -
// <Message>"), Suspended -> Queued "Suspended", anything else -> Undefined.
// v1 never reports Initializing. Errors come back as Diagnostics (upstream
// returns PhaseInfoUndefined with them). Plain functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/logs.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"
#include "sim/model/job_condition.hpp"

namespace ptsim::flyte {

// pluginmachinery/core Phase, in upstream order.
enum class Phase {
  kUndefined,
  kNotReady,
  kWaitingForResources,
  kQueued,
  kInitializing,
  kRunning,
  kSuccess,
  kRetryableFailure,
  kPermanentFailure,
  kWaitingForCache,
  kAborted
};
// "PhaseQueued", ... (the Go enumer names).
std::string_view PhaseName(Phase phase);

inline constexpr uint32_t kDefaultPhaseVersion = 0;

struct ExecutionError {
  std::string code{};     // "DownstreamSystemError"
  std::string message{};  // "Job failed:\n\t<Reason> - <Message>"
  std::string kind{};     // "USER"
};

struct TaskInfo {
  std::vector<TaskLog> logs{};
  double occurred_at = 0;
  nlohmann::json custom_info{};  // the job's status
};

struct PhaseInfo {
  Phase phase = Phase::kUndefined;
  uint32_t version = kDefaultPhaseVersion;
  std::string reason{};
  std::optional<ExecutionError> error{};
  TaskInfo info{};
  nlohmann::json ToJson() const;
};

// k8s.PluginState: what propeller stored after the previous round.
struct PluginState {
  Phase phase = Phase::kUndefined;
  uint32_t phase_version = kDefaultPhaseVersion;
  std::string reason{};
};

struct JobObservation {
  nlohmann::json job{};  // the PyTorchJob (metadata.name/namespace, spec, status)
  double creation_time = 0;
  double now = 0;
};

// ExtractCurrentCondition: no conditions -> empty condition; otherwise the
// first True one after a stable sort by lastTransitionTime, newest first;
// none True -> error "found no current condition. Conditions: [...]" (Go %+v).
Result<JobCondition> ExtractCurrentCondition(std::vector<JobCondition> conditions);
Result<std::vector<JobCondition>> ParseConditions(const nlohmann::json& status);

// GetPhaseInfo for a current condition.
PhaseInfo GetPhaseInfo(const JobCondition& current, double occurred_at, TaskInfo info);

// MaybeUpdatePhaseVersion: same non-Running phase, version not ahead, reason
// changed -> version = stored + 1.
void MaybeUpdatePhaseVersion(const PluginState& state, PhaseInfo* info);

Result<PhaseInfo> GetTaskPhase(const JobObservation& observation, const PluginState& state,
                               const TaskExecution& execution, const nlohmann::json& task_template,
                               const PluginConfig& config);

}  // namespace ptsim::flyte
