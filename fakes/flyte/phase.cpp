#include "fakes/flyte/phase.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "fakes/flyte/go_time.hpp"
#include "fakes/flyte/job_builder.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

Diagnostics Fail(const std::string& field, const std::string& message) {
  Diagnostics d;
  d.Error({}, "", field, message);
  return d;
}

// A metav1.Time in JSON: RFC 3339 string, or (ptsim) seconds; null = unset.
// Held as a Time counting from the Unix epoch; Time{} is unset. Times a Time
// cannot hold (before 1970 or after 2262) are errors, not wrapped values.
Result<Time> ReadTime(const json& v, const std::string& field) {
  if (v.is_null()) return Time{};
  std::optional<double> seconds;
  if (v.is_number()) seconds = v.get<double>();
  if (v.is_string()) seconds = ParseRfc3339(v.get<std::string>());
  if (!seconds) {
    return Fail(field, fmt::format("expected a time (seconds or RFC 3339), got {}", v.dump()));
  }
  constexpr double kLatest = 9.2e9;  // int64 nanoseconds from 1970: April 2262
  if (!(*seconds >= 0 && *seconds < kLatest)) {
    return Fail(
        field, fmt::format("time {} is out of range; give a time between 1970 and 2262", v.dump()));
  }
  return Time{} + Seconds(*seconds);
}

// Go's %+v of a JobCondition; zero times print as Go's zero time.
std::string GoCondition(const JobCondition& c) {
  auto time = [](Time t) {
    return t == Time{} ? std::string("0001-01-01 00:00:00 +0000 UTC") : FormatGoTime(ToSeconds(t));
  };
  return fmt::format(
      "{{Type:{} Status:{} Reason:{} Message:{} LastUpdateTime:{} LastTransitionTime:{}}}", c.type,
      c.status, c.reason, c.message, time(c.last_update_time), time(c.last_transition_time));
}

}  // namespace

std::string_view PhaseName(Phase phase) {
  static constexpr std::array<std::string_view, 11> kNames = {
      "PhaseUndefined",       "PhaseNotReady",         "PhaseWaitingForResources",
      "PhaseQueued",          "PhaseInitializing",     "PhaseRunning",
      "PhaseSuccess",         "PhaseRetryableFailure", "PhasePermanentFailure",
      "PhaseWaitingForCache", "PhaseAborted"};
  return kNames[static_cast<size_t>(phase)];
}

json PhaseInfo::ToJson() const {
  json logs = json::array();
  for (const auto& l : info.logs)
    logs.push_back(l.ToJson());
  json out = {
      {"phase", PhaseName(phase)},
      {"version", version},
      {"reason", reason},
      {"info",
       {{"logs", logs}, {"occurredAt", info.occurred_at}, {"customInfo", info.custom_info}}}};
  if (error)
    out["error"] = {{"code", error->code}, {"message", error->message}, {"kind", error->kind}};
  return out;
}

Result<std::vector<JobCondition>> ParseConditions(const json& status) {
  std::vector<JobCondition> out;
  if (!status.is_object() || !status.contains("conditions") || status["conditions"].is_null()) {
    return out;
  }
  const json& list = status["conditions"];
  if (!list.is_array()) return Fail("status.conditions", "expected a list of conditions");
  Diagnostics d;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& c = list[i];
    std::string field = fmt::format("status.conditions[{}]", i);
    if (!c.is_object()) {
      d.Error({}, "", field, "expected an object");
      continue;
    }
    JobCondition jc{c.value("type", ""),
                    c.value("status", ""),
                    c.value("reason", ""),
                    c.value("message", ""),
                    Time{},
                    Time{}};
    auto update = ReadTime(c.value("lastUpdateTime", json()), field + ".lastUpdateTime");
    auto transition =
        ReadTime(c.value("lastTransitionTime", json()), field + ".lastTransitionTime");
    if (!update.ok()) d.Append(update.diagnostics());
    if (!transition.ok()) d.Append(transition.diagnostics());
    if (update.ok()) jc.last_update_time = update.value();
    if (transition.ok()) jc.last_transition_time = transition.value();
    out.push_back(jc);
  }
  if (!d.ok()) return d;
  return out;
}

Result<JobCondition> ExtractCurrentCondition(std::vector<JobCondition> conditions) {
  if (conditions.empty()) return JobCondition{};
  // sort.Slice by LastTransitionTime, newest first (insertion sort for the
  // short lists operators write, hence stable).
  std::stable_sort(conditions.begin(), conditions.end(),
                   [](const JobCondition& a, const JobCondition& b) {
                     return a.last_transition_time > b.last_transition_time;
                   });
  for (const auto& c : conditions) {
    if (c.status == "True") return c;
  }
  std::string list;
  for (const auto& c : conditions)
    list += (list.empty() ? "" : " ") + GoCondition(c);
  return Fail("status.conditions",
              fmt::format("found no current condition. Conditions: [{}]", list));
}

PhaseInfo GetPhaseInfo(const JobCondition& current, double occurred_at, TaskInfo info) {
  info.occurred_at = occurred_at;
  PhaseInfo p;
  p.info = std::move(info);
  const std::string& type = current.type;
  if (type.empty() || type == "Created") {
    p.phase = Phase::kQueued;
    p.reason = "JobCreated";
  } else if (type == "Running" || type == "Restarting") {
    p.phase = Phase::kRunning;
  } else if (type == "Succeeded") {
    p.phase = Phase::kSuccess;
  } else if (type == "Failed") {
    p.phase = Phase::kRetryableFailure;
    p.error = ExecutionError{"DownstreamSystemError",
                             fmt::format("Job failed:\n\t{} - {}", current.reason, current.message),
                             "USER"};
  } else if (type == "Suspended") {
    p.phase = Phase::kQueued;
    p.reason = "Suspended";
  } else {
    return PhaseInfo{};  // PhaseInfoUndefined
  }
  return p;
}

void MaybeUpdatePhaseVersion(const PluginState& state, PhaseInfo* info) {
  if (info->phase != Phase::kRunning && info->phase == state.phase &&
      info->version <= state.phase_version && info->reason != state.reason) {
    info->version = state.phase_version + 1;
  }
}

Result<PhaseInfo> GetTaskPhase(const JobObservation& obs, const PluginState& state,
                               const TaskExecution& execution, const json& task_template,
                               const PluginConfig& config) {
  const json& job = obs.job;
  if (!job.is_object() || job.value("kind", "PyTorchJob") != "PyTorchJob") {
    return Fail("kind", "failed to convert resource data type");
  }
  const json spec = job.value("spec", json::object());
  const json specs = spec.is_object() ? spec.value("pytorchReplicaSpecs", json::object()) : json();
  // Elastic PyTorchJobs don't use master replicas.
  bool has_master = specs.is_object() && specs.contains("Master");
  const json meta = job.value("metadata", json::object());
  JobLogInput log_input{meta.value("name", ""),
                        meta.value("namespace", ""),
                        obs.creation_time,
                        obs.now,
                        has_master,
                        GetReplicaCount(specs, "Worker")};
  TaskInfo info{GetLogs(config.logs, log_input, execution, task_template), obs.now,
                job.value("status", json::object())};

  const json run_policy = spec.is_object() ? spec.value("runPolicy", json::object()) : json();
  bool suspended = run_policy.is_object() && run_policy.value("suspend", false);
  const json status = job.value("status", json::object());
  bool has_start =
      status.is_object() && status.contains("startTime") && !status["startTime"].is_null();
  if (!suspended && !has_start &&
      obs.creation_time + config.kf_operator_timeout_seconds < obs.now) {
    return Fail(
        "status.startTime",
        "kubeflow operator hasn't updated the pytorch custom resource since creation time " +
            FormatGoTime(obs.creation_time));
  }
  auto conditions = ParseConditions(status);
  if (!conditions.ok()) return conditions.diagnostics();
  auto current = ExtractCurrentCondition(conditions.value());
  if (!current.ok()) return current.diagnostics();
  PhaseInfo p = GetPhaseInfo(current.value(), obs.now, std::move(info));
  MaybeUpdatePhaseVersion(state, &p);
  return p;
}

}  // namespace ptsim::flyte
