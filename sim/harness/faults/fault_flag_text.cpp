// FaultFlagText (fault_flag.hpp): a decoded fault written back in the
// `--fault` grammar, the inverse of FlagFaultFields' split.
#include <fmt/format.h>

#include <vector>

#include "sim/harness/faults/fault_argument.hpp"
#include "sim/harness/faults/fault_flag.hpp"
#include "sim/model/go_duration.hpp"

namespace ptsim {
namespace {

bool Splits(const std::string& text) {
  return text.find_first_of("@,") != std::string::npos;
}

// What the flag's ARG cannot say: another action's argument, a grace period.
bool OnlyInAScenario(const FaultSpec& f) {
  const FaultArgument argument = f.action->argument();
  const bool message = argument == FaultArgument::kNone || argument == FaultArgument::kMessage;
  return (argument != FaultArgument::kSignal && f.signal != FaultSpec{}.signal) ||
         (argument != FaultArgument::kExitCode && f.exit_code != FaultSpec{}.exit_code) ||
         (argument != FaultArgument::kDelay && f.delay != Duration{0}) ||
         (!message && !f.message.empty()) || f.grace_period.has_value() || f.target.ns_given ||
         f.target.mode != FaultTarget::Mode::kAll;
}

// A bare name that SplitTarget reads as a pod: not a replica, `*` or KEY=.
bool BarePod(const std::string& pod) {
  return !pod.empty() && pod != "*" && pod.find('=') == std::string::npos &&
         pod.rfind("Master", 0) != 0 && pod.rfind("Worker", 0) != 0;
}

std::optional<std::string> TargetText(const FaultTarget& t) {
  const std::string container = t.container.empty() ? "" : "/" + t.container;
  if (!t.job.empty()) {
    if (!t.pod.empty() || !t.replica_type.empty() || !t.selector.empty() || !t.node.empty() ||
        !container.empty()) {
      return std::nullopt;
    }
    return "job=" + t.job;
  }
  if (!t.replica_type.empty()) {
    const std::string index = t.replica_index ? fmt::format("-{}", *t.replica_index) : "";
    return t.replica_type + index + container;
  }
  if (!t.pod.empty()) {
    if (container.empty()) return "pod=" + t.pod;
    if (BarePod(t.pod)) return t.pod + container;
    return std::nullopt;
  }
  if (!container.empty() && (!t.selector.empty() || !t.node.empty())) return std::nullopt;
  if (!t.selector.empty()) return "selector=" + t.selector;
  if (!t.node.empty()) return "node=" + t.node;
  return "*" + container;
}

std::vector<std::string> TriggerOptions(const FaultSpec& f) {
  const FaultTrigger& w = f.when;
  std::vector<std::string> options;
  auto duration = [&](const char* key, std::optional<Duration> d) {
    if (d) options.push_back(fmt::format("{}={}", key, GoDurationString(*d)));
  };
  duration("at", w.at);
  duration("every", w.every);
  duration("after-running", w.after_running);
  if (!w.log_line.empty()) options.push_back("log=" + w.log_line);
  if (w.incarnation) options.push_back(fmt::format("incarnation={}", *w.incarnation));
  if (!w.condition.empty()) options.push_back("condition=" + w.condition);
  if (w.delay != Duration{0}) duration("delay", w.delay);
  duration("duration", f.duration);
  if (f.repeat_always) {
    options.push_back("repeat=always");
  } else if (f.repeat != 1) {
    options.push_back(fmt::format("repeat={}", f.repeat));
  }
  return options;
}

}  // namespace

std::optional<std::string> FaultFlagText(const FaultSpec& f) {
  if (OnlyInAScenario(f)) return std::nullopt;
  const std::string action = f.action->Describe(f);
  const auto target = TargetText(f.target);
  if (!target || action.find('@') != std::string::npos || target->find('@') != std::string::npos) {
    return std::nullopt;
  }
  std::string trigger;
  for (const std::string& option : TriggerOptions(f)) {
    if (option.find('@') != std::string::npos || Splits(option.substr(option.find('=') + 1))) {
      return std::nullopt;
    }
    trigger += (trigger.empty() ? "" : ",") + option;
  }
  return fmt::format("{}@{}@{}", action, *target, trigger);
}

}  // namespace ptsim
