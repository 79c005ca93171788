#include "sim/harness/pod_status_text.hpp"

#include <fmt/format.h>

#include <chrono>

#include "sim/harness/summary_text.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

const json& Field(const json& j, const char* key) {
  static const json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}
std::string Text(const json& j, const char* key) {
  const json& v = Field(j, key);
  return v.is_string() ? v.get<std::string>() : "";
}
long long Int(const json& j, const char* key) {
  const json& v = Field(j, key);
  return v.is_number() ? v.get<long long>() : 0;
}
bool Flag(const json& j, const char* key) {
  const json& v = Field(j, key);
  return v.is_boolean() && v.get<bool>();
}
// state.waiting / state.running / state.terminated, or null.
const json& State(const json& container, const char* which) {
  return Field(Field(container, "state"), which);
}
std::optional<double> LastFinished(const json& container) {
  const json& at = Field(Field(Field(container, "lastState"), "terminated"), "finishedAt");
  if (!at.is_number()) return std::nullopt;
  return at.get<double>();
}
void NoteRestart(const json& container, std::optional<double>* newest) {
  const auto at = LastFinished(container);
  if (at && (!*newest || **newest < *at)) *newest = at;
}
// podutil.IsRestartableInitContainer: an init container with restartPolicy Always.
bool Restartable(const json& init_container) {
  return Text(init_container, "restartPolicy") == "Always";
}
bool ConditionTrue(const json& pod, const char* type) {
  for (const auto& c : Field(pod, "conditions")) {
    if (Text(c, "type") == type) return Text(c, "status") == "True";
  }
  return false;
}
bool PhaseTerminal(const std::string& phase) {
  return phase == "Succeeded" || phase == "Failed";
}

}  // namespace

KubectlPodColumns KubectlPodRow(const json& pod) {
  static const json kEmpty = json::array();
  const json& inits = Field(pod, "initContainers").is_array() ? pod["initContainers"] : kEmpty;
  const json& apps = Field(pod, "containers").is_array() ? pod["containers"] : kEmpty;
  int total = static_cast<int>(apps.size());
  int ready = 0;
  int restarts = 0;
  int sidecar_restarts = 0;
  std::optional<double> last_restart;
  std::optional<double> last_sidecar_restart;

  const std::string phase = Text(pod, "phase");
  std::string reason = Text(pod, "reason").empty() ? phase : Text(pod, "reason");
  // A PodScheduled condition with reason SchedulingGated wins over the phase.
  for (const auto& c : Field(pod, "conditions")) {
    if (Text(c, "type") == "PodScheduled" && Text(c, "reason") == "SchedulingGated")
      reason = "SchedulingGated";
  }
  for (const auto& c : inits) {
    if (Restartable(c)) ++total;
  }

  bool initializing = false;
  for (std::size_t i = 0; i < inits.size(); ++i) {
    const json& c = inits[i];
    restarts += static_cast<int>(Int(c, "restartCount"));
    NoteRestart(c, &last_restart);
    if (Restartable(c)) {
      sidecar_restarts += static_cast<int>(Int(c, "restartCount"));
      NoteRestart(c, &last_sidecar_restart);
    }
    const json& terminated = State(c, "terminated");
    const json& waiting = State(c, "waiting");
    if (terminated.is_object() && Int(terminated, "exitCode") == 0) continue;
    if (Restartable(c) && Flag(c, "started")) {
      if (Flag(c, "ready")) ++ready;
      continue;
    }
    if (terminated.is_object()) {
      // Initialisation failed.
      if (!Text(terminated, "reason").empty()) {
        reason = "Init:" + Text(terminated, "reason");
      } else if (Int(terminated, "signal") != 0) {
        reason = fmt::format("Init:Signal:{}", Int(terminated, "signal"));
      } else {
        reason = fmt::format("Init:ExitCode:{}", Int(terminated, "exitCode"));
      }
    } else if (waiting.is_object() && !Text(waiting, "reason").empty() &&
               Text(waiting, "reason") != "PodInitializing") {
      reason = "Init:" + Text(waiting, "reason");
    } else {
      reason = fmt::format("Init:{}/{}", i, inits.size());
    }
    initializing = true;
    break;
  }

  if (!initializing || ConditionTrue(pod, "Initialized")) {
    restarts = sidecar_restarts;
    last_restart = last_sidecar_restart;
    bool has_running = false;
    for (std::size_t k = apps.size(); k-- > 0;) {
      const json& c = apps[k];
      restarts += static_cast<int>(Int(c, "restartCount"));
      NoteRestart(c, &last_restart);
      const json& waiting = State(c, "waiting");
      const json& terminated = State(c, "terminated");
      if (waiting.is_object() && !Text(waiting, "reason").empty()) {
        reason = Text(waiting, "reason");
      } else if (terminated.is_object() && !Text(terminated, "reason").empty()) {
        reason = Text(terminated, "reason");
      } else if (terminated.is_object()) {
        reason = Int(terminated, "signal") != 0
                     ? fmt::format("Signal:{}", Int(terminated, "signal"))
                     : fmt::format("ExitCode:{}", Int(terminated, "exitCode"));
      } else if (Flag(c, "ready") && State(c, "running").is_object()) {
        has_running = true;
        ++ready;
      }
    }
    // Back to Running while a container still runs.
    if (reason == "Completed" && has_running)
      reason = ConditionTrue(pod, "Ready") ? "Running" : "NotReady";
  }

  const bool deleting = !Field(pod, "deletionRequestedAt").is_null();
  if (deleting && Text(pod, "reason") == "NodeLost") {
    reason = "Unknown";
  } else if (deleting && !PhaseTerminal(phase)) {
    reason = "Terminating";
  }

  KubectlPodColumns out;
  out.ready = fmt::format("{}/{}", ready, total);
  out.status = reason;
  out.restarts = restarts;
  out.last_restart_at = restarts != 0 ? last_restart : std::nullopt;
  return out;
}

std::string RestartsText(const KubectlPodColumns& columns, double now) {
  if (columns.restarts == 0 || !columns.last_restart_at) return std::to_string(columns.restarts);
  const auto ago = std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(now - *columns.last_restart_at));
  return fmt::format("{} ({} ago)", columns.restarts, HumanDuration(ago));
}

}  // namespace ptsim
