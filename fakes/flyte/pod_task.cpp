#include "fakes/flyte/pod_task.hpp"

#include <fmt/format.h>

#include "fakes/flyte/go_time.hpp"
#include "fakes/flyte/job_builder.hpp"
#include "fakes/flyte/pod_builder.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

// flytek8s/config defaults.
constexpr double kCreateContainerErrorGrace = 180;
constexpr double kCreateContainerConfigErrorGrace = 0;
constexpr double kImagePullBackoffGrace = 180;
constexpr int kSigkillExitCode = 137;          // pod_helper.go SIGKILL
constexpr int kUnsignedSigkillExitCode = 247;  // 256 - 9

double TimeOf(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return ParseRfc3339(v.get<std::string>()).value_or(0);
  return 0;
}

std::string Str(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// Go's time.Duration.String() for whole seconds: "3m0s", "0s".
std::string GoDuration(double seconds) {
  auto s = static_cast<int64_t>(seconds);
  if (s == 0) return "0s";
  std::string out;
  if (s >= 3600) out += fmt::format("{}h", s / 3600);
  if (s >= 60) out += fmt::format("{}m", (s / 60) % 60);
  return out + fmt::format("{}s", s % 60);
}

std::string AfterGrace(const std::string& message, double grace) {
  return fmt::format("Grace period [{}] exceeded|{}", GoDuration(grace), message);
}

PhaseInfo Make(Phase phase, std::string reason) {
  PhaseInfo p;
  p.phase = phase;
  p.reason = std::move(reason);
  return p;
}

// PhaseInfoRetryableFailure / PhaseInfoSystemRetryableFailure / PhaseInfoFailure.
PhaseInfo Failure(Phase phase, const std::string& kind, const std::string& code,
                  const std::string& message) {
  PhaseInfo p;
  p.phase = phase;
  p.reason = message;
  p.error = ExecutionError{code, message, kind};
  return p;
}

// The `terminated` record of a container status's `key` ("state" or
// "lastState"), or null. The pointer is into `status` itself: never look the
// state up with status.value(key, json()), which returns a temporary copy that
// dies at the end of the full expression and leaves the pointer dangling.
const json* Terminated(const json& status, const char* key) {
  if (!status.is_object()) return nullptr;
  const auto state = status.find(key);
  if (state == status.end() || !state->is_object()) return nullptr;
  const auto terminated = state->find("terminated");
  if (terminated == state->end() || !terminated->is_object()) return nullptr;
  return &*terminated;
}

bool TerminatedWithSigkill(const json* t) {
  if (t == nullptr) return false;
  int code = t->value("exitCode", 0);
  return code == kSigkillExitCode || code == kUnsignedSigkillExitCode;
}

std::vector<json> AllStatuses(const json& status) {
  std::vector<json> out;
  for (const char* key :
       {"initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"}) {
    if (status.contains(key) && status[key].is_array()) {
      for (const auto& s : status[key])
        out.push_back(s);
    }
  }
  return out;
}

std::string TerminatedLine(const std::string& name, const json& t) {
  return fmt::format("\r\n[{}] terminated with exit code ({}). Reason [{}]. Message: \n{}.", name,
                     t.value("exitCode", 0), Str(t, "reason"), Str(t, "message"));
}

PhaseInfo DemystifySuccess(const json& status) {
  for (const auto& s : AllStatuses(status)) {
    const json* t = Terminated(s, "state");
    if (t != nullptr && Str(*t, "reason").find("OOMKilled") != std::string::npos) {
      return Failure(Phase::kRetryableFailure, "USER", "OOMKilled",
                     "Pod reported success despite being OOMKilled");
    }
  }
  return Make(Phase::kSuccess, "");
}

PhaseInfo DemystifyFailure(const json& status, const std::string& primary) {
  std::string code = Str(status, "reason").empty() ? "UnknownError" : Str(status, "reason");
  std::string message = Str(status, "message").empty()
                            ? "Pod failed. No message received from kubernetes."
                            : Str(status, "message");
  // retryableStatusReasons: node preemption and shutdown.
  bool system = code == "Shutdown" || code == "Terminated" || code == "NodeShutdown" ||
                code == "NodeAffinity";
  for (const auto& c : AllStatuses(status)) {
    const json* t = Terminated(c, "lastState");
    if (t == nullptr) t = Terminated(c, "state");
    if (t == nullptr) continue;
    const std::string name = Str(c, "name");
    if (Str(*t, "reason").find("OOMKilled") != std::string::npos) {
      code = "OOMKilled";
    } else if (TerminatedWithSigkill(t)) {
      code = "Interrupted";
      if (name == primary) system = true;
    }
    if (t->value("exitCode", 0) == 0) {
      message += fmt::format("\r\n[{}] terminated with ExitCode 0.", name);
    } else {
      message += TerminatedLine(name, *t);
    }
  }
  if (code == "UnknownError") system = true;
  if (system) return Failure(Phase::kRetryableFailure, "SYSTEM", "Interrupted", message);
  return Failure(Phase::kRetryableFailure, "USER", code, message);
}

PhaseInfo DemystifyPending(const json& status, double now) {
  PhaseInfo queued = Make(Phase::kQueued, "Demistify Pending");
  double t = now;
  const json conditions = status.value("conditions", json::array());
  for (const auto& c : conditions.is_array() ? conditions : json::array()) {
    t = TimeOf(c.value("lastTransitionTime", json()));
    const std::string type = Str(c, "type");
    const std::string cstatus = Str(c, "status");
    if ((type == "PodScheduled" && cstatus == "False") || type == "Unschedulable") {
      return Make(Phase::kQueued, fmt::format("{}:{}", Str(c, "reason"), Str(c, "message")));
    }
    if (type != "Ready" || cstatus != "False") continue;
    for (const auto& s : status.value("containerStatuses", json::array())) {
      if (s.value("ready", false)) continue;
      const json state = s.value("state", json());
      if (!state.is_object() || !state.contains("waiting")) continue;
      const json& w = state["waiting"];
      const std::string reason = Str(w, "reason");
      const std::string final_reason = fmt::format("{}|{}", Str(c, "reason"), reason);
      const std::string final_message = fmt::format("{}|{}", Str(c, "message"), Str(w, "message"));
      const std::string initializing = fmt::format("[{}]: {}", final_reason, final_message);
      if (reason == "ErrImagePull" || reason == "ContainerCreating" ||
          reason == "PodInitializing") {
        return Make(Phase::kInitializing, initializing);
      }
      if (reason == "CreateContainerError" || reason == "CreateContainerConfigError") {
        const double grace = reason == "CreateContainerError" ? kCreateContainerErrorGrace
                                                              : kCreateContainerConfigErrorGrace;
        if (now - t >= grace) {
          return Failure(Phase::kPermanentFailure, "USER", final_reason,
                         AfterGrace(final_message, grace));
        }
        return Make(Phase::kInitializing, initializing);
      }
      if (reason == "InvalidImageName") {
        return Failure(Phase::kPermanentFailure, "USER", final_reason, final_message);
      }
      if (reason == "ImagePullBackOff") {
        if (now - t >= kImagePullBackoffGrace) {
          return Failure(Phase::kRetryableFailure, "USER", final_reason,
                         AfterGrace(final_message, kImagePullBackoffGrace));
        }
        return Make(Phase::kInitializing, initializing);
      }
      return Failure(Phase::kRetryableFailure, "SYSTEM", final_reason, final_message);
    }
  }
  // DemystifyPending's "Scheduling" fallback is unreachable upstream: the
  // helper's default is already a Queued phase.
  return queued;
}

PhaseInfo PrimaryContainerPhase(const json& status, const std::string& primary) {
  for (const auto& s : status.value("containerStatuses", json::array())) {
    if (Str(s, "name") != primary) continue;
    const json* t = Terminated(s, "state");
    if (t == nullptr) return Make(Phase::kRunning, "");
    const std::string message = TerminatedLine(primary, *t);
    const std::string reason = Str(*t, "reason");
    if (reason.find("OOMKilled") != std::string::npos) {
      return Failure(Phase::kRetryableFailure, "USER", reason, message);
    }
    if (TerminatedWithSigkill(t)) {
      return Failure(Phase::kRetryableFailure, "SYSTEM", reason, message);
    }
    if (t->value("exitCode", 0) != 0) {
      return Failure(Phase::kRetryableFailure, "USER", reason, message);
    }
    return Make(Phase::kSuccess, "");
  }
  return Failure(
      Phase::kPermanentFailure, "USER", "PrimaryContainerNotFound",
      fmt::format("Primary container [{}] not found in pod's container statuses", primary));
}

}  // namespace

Result<json> BuildTaskPod(const json& tmpl, const TaskExecution& execution,
                          const PluginConfig& config) {
  if (!tmpl.is_object()) {
    Diagnostics d;
    d.Error({}, "", "", BadTaskSpecification("nil task specification"));
    return d;
  }
  auto built = ToK8sPodSpec(tmpl, execution, execution.override_resources, config);
  if (!built.ok()) return built.diagnostics();
  json spec = built->pod_spec;
  json meta = json::object();
  std::map<std::string, std::string> annotations = built->annotations;
  if (spec.value("containers", json::array()).size() == 1) {
    annotations[kPrimaryContainerAnnotation] = built->primary_container_name;
  }
  if (!annotations.empty()) meta["annotations"] = annotations;
  if (!built->labels.empty()) meta["labels"] = built->labels;
  if (!spec.contains("serviceAccountName") && !execution.service_account.empty()) {
    spec["serviceAccountName"] = execution.service_account;
  }
  return json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", ObjectMetadata(tmpl, execution, config, meta)},
              {"spec", spec}};
}

PhaseInfo DemystifyPodStatus(const json& pod, double now) {
  const json status = pod.value("status", json::object());
  const json meta = pod.value("metadata", json::object());
  const json annotations = meta.is_object() ? meta.value("annotations", json::object()) : json();
  const std::string primary = Str(annotations, kPrimaryContainerAnnotation);
  const std::string phase = Str(status, "phase");
  PhaseInfo p;
  if (phase == "Succeeded") {
    p = DemystifySuccess(status);
  } else if (phase == "Failed") {
    p = DemystifyFailure(status, primary);
  } else if (phase == "Pending" || phase.empty()) {
    p = DemystifyPending(status, now);
  } else if (primary.empty()) {
    // All containers must succeed: an early success when they all did.
    bool all_done = false;
    const json statuses = status.value("containerStatuses", json::array());
    if (statuses.is_array() && !statuses.empty()) {
      all_done = true;
      for (const auto& s : statuses) {
        const json* t = Terminated(s, "state");
        if (t == nullptr || t->value("exitCode", 0) != 0) all_done = false;
      }
    }
    p = all_done ? DemystifySuccess(status) : Make(Phase::kRunning, "");
  } else {
    p = PrimaryContainerPhase(status, primary);
  }
  p.info.occurred_at = now;
  return p;
}

PhaseInfo GetPodTaskPhase(const json& pod, double now, const PluginState& state) {
  PhaseInfo p = DemystifyPodStatus(pod, now);
  MaybeUpdatePhaseVersion(state, &p);
  return p;
}

}  // namespace ptsim::flyte
