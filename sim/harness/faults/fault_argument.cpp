#include "sim/harness/faults/fault_argument.hpp"

#include "sim/core/signals.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/model/go_duration.hpp"

namespace ptsim {

const FaultArgumentInfo& ArgumentInfo(FaultArgument argument) {
  static const FaultArgumentInfo kSignal{"signal", "signal", "the signal to send", "SIGTERM"};
  static const FaultArgumentInfo kExitCode{"exitCode", "exit code", "the exit code", "3"};
  static const FaultArgumentInfo kReplicas{"replicas", "replicas", "the new number of replicas",
                                           "4"};
  static const FaultArgumentInfo kDelay{"delay", "delay", "how long a pull takes", "30s"};
  static const FaultArgumentInfo kMessage{"message", "message", "the message",
                                          "no space left on device"};
  switch (argument) {
    case FaultArgument::kSignal:
      return kSignal;
    case FaultArgument::kExitCode:
      return kExitCode;
    case FaultArgument::kReplicas:
      return kReplicas;
    case FaultArgument::kDelay:
      return kDelay;
    case FaultArgument::kNone:
    case FaultArgument::kMessage:
      break;
  }
  return kMessage;
}

std::string_view ArgumentField(const FaultAction& action) {
  return ArgumentInfo(action.argument()).field;
}

std::string FormatArgument(const FaultAction& action, const FaultSpec& f) {
  switch (action.argument()) {
    case FaultArgument::kSignal:
      return SignalName(f.signal);
    case FaultArgument::kExitCode:
      return std::to_string(f.exit_code);
    case FaultArgument::kReplicas:
      return std::to_string(f.replicas);
    case FaultArgument::kDelay:
      return GoDurationString(f.delay);
    case FaultArgument::kNone:
    case FaultArgument::kMessage:
      break;
  }
  return f.message;
}

}  // namespace ptsim
