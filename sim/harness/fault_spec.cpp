#include "sim/harness/fault_spec.hpp"

#include <fmt/format.h>

#include "sim/core/go_quote.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/pytorchjob_codec.hpp"

namespace ptsim {
std::string FaultTarget::Describe() const {
  std::string out;
  if (!pod.empty())
    out = "pod " + pod;
  else if (!replica_type.empty())
    out =
        replica_index ? fmt::format("{} {}", replica_type, *replica_index) : replica_type + " pods";
  else if (!replicated_job.empty()) {
    out = "replicatedJob " + replicated_job;
    if (job_index) out += fmt::format(" job {}", *job_index);
    if (pod_index) out += fmt::format(" pod {}", *pod_index);
    if (!job_index && !pod_index) out += " pods";
  } else if (!selector.empty())
    out = "pods matching " + selector;
  else if (!node.empty())
    out = "node " + node;
  else
    out = "every pod";
  if (!job.empty()) out = "PyTorchJob " + job + (out == "every pod" ? "" : ", " + out);
  if (!container.empty()) out += " container " + container;
  switch (mode) {
    case Mode::kAll:
      break;
    case Mode::kOne:
      out += " (one at random)";
      break;
    case Mode::kFixed:
      out += fmt::format(" ({} at random)", value);
      break;
    case Mode::kFixedPercent:
      out += fmt::format(" ({}% at random)", value);
      break;
    case Mode::kRandomMaxPercent:
      out += fmt::format(" (up to {}% at random)", value);
      break;
  }
  return out;
}

std::string FaultTrigger::Describe() const {
  std::string out;
  if (at) out = "at " + FormatDuration(*at);
  if (every) out += " and every " + FormatDuration(*every);
  if (incarnation) out += fmt::format("{}on incarnation {}", out.empty() ? "" : ", ", *incarnation);
  if (after_running)
    out += fmt::format("{}{} after it starts running", out.empty() ? "" : ", ",
                       FormatDuration(*after_running));
  if (!log_line.empty())
    out += fmt::format("{}when it logs /{}/", out.empty() ? "" : ", ", log_line);
  if (!condition.empty())
    out += fmt::format("{}when the job is {}", out.empty() ? "" : ", ", condition);
  if (delay > Duration{0}) out += ", after " + FormatDuration(delay);
  return out.empty() ? "at 0s" : out;
}

void ValidateFaultSpec(const FaultSpec& f, Diagnostics* diagnostics) {
  const std::string object = fmt::format("fault {}", GoQuote(f.name));
  auto error = [&](const std::string& field, const std::string& message) {
    diagnostics->Error(f.where, object, field, message);
  };
  auto not_negative = [&](const std::optional<Duration>& d, const char* field) {
    if (d && *d < Duration{0}) {
      error(field, fmt::format("Invalid value: {}: must not be negative", GoDurationString(*d)));
    }
  };
  not_negative(f.when.at, "when.at");
  not_negative(f.when.after_running, "when.afterRunning");
  not_negative(f.when.delay, "when.delay");
  not_negative(f.duration, "duration");
  not_negative(f.delay, "delay");
  if (f.when.every && *f.when.every < kMinFaultEvery) {
    error("when.every",
          fmt::format("Invalid value: {}: must be at least {}, ptsim's shortest "
                      "interval between firings",
                      GoDurationString(*f.when.every), GoDurationString(kMinFaultEvery)));
  }
  if (!f.repeat_always && (f.repeat < 1 || f.repeat > kMaxFaultFirings)) {
    error("repeat", fmt::format("Invalid value: {}: must be from 1 to {} (ptsim's limit on the "
                                "firings of one fault), or \"always\"",
                                f.repeat, kMaxFaultFirings));
  }
  if (f.when.incarnation && *f.when.incarnation < 1) {
    error("when.incarnation",
          fmt::format("Invalid value: {}: must be at least 1 (incarnations count from 1)",
                      *f.when.incarnation));
  }
  if (f.target.replica_index && *f.target.replica_index < 0) {
    error("target.replicaIndex", fmt::format("Invalid value: {}: must be at least 0 (replica "
                                             "indexes count from 0)",
                                             *f.target.replica_index));
  }
  for (const auto& [field, value] : {std::pair{"target.jobIndex", f.target.job_index},
                                     std::pair{"target.podIndex", f.target.pod_index}}) {
    if (value && *value < 0) {
      error(field,
            fmt::format("Invalid value: {}: must be at least 0 (indexes count from 0)", *value));
    }
  }
  const FaultArgument argument = f.action->argument();
  if (argument == FaultArgument::kExitCode && (f.exit_code < 0 || f.exit_code > 255)) {
    error("exitCode", fmt::format("Invalid value: {}: an exit code is from 0 to 255", f.exit_code));
  }
  if (argument == FaultArgument::kReplicas &&
      (f.replicas < 0 || f.replicas > kMaxReplicasPerType)) {
    error("replicas", fmt::format("Invalid value: {}: must be from 0 to {}, the most replicas of "
                                  "one type ptsim simulates",
                                  f.replicas, kMaxReplicasPerType));
  }
  if (f.grace_period && *f.grace_period < 0) {
    error("gracePeriodSeconds",
          fmt::format("Invalid value: {}: must be greater than or equal to 0", *f.grace_period));
  }
}

}  // namespace ptsim
