#include "sim/harness/fault_spec.hpp"

#include <fmt/format.h>

#include <charconv>
#include <sstream>

#include "sim/core/go_quote.hpp"
#include "sim/core/signals.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/pytorchjob_codec.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim {
std::string FaultTarget::Describe() const {
  std::string out;
  if (!pod.empty())
    out = "pod " + pod;
  else if (!replica_type.empty())
    out =
        replica_index ? fmt::format("{} {}", replica_type, *replica_index) : replica_type + " pods";
  else if (!selector.empty())
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

namespace {

// The whole of `text` as a decimal integer (std::stoi would take "3x" as 3).
bool WholeInt(std::string_view text, int* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

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

Result<FaultSpec> ParseFaultFlag(const std::string& text) {
  Diagnostics diags;
  auto fail = [&](const std::string& why) {
    diags.Error(
        {"--fault", 0, 0}, "", "",
        fmt::format("{}: {}; write ACTION[:ARG]@TARGET[/CONTAINER]@TRIGGER[,OPTION=VALUE...], "
                    "e.g. kill:SIGKILL@Worker-1@log=step 50",
                    GoQuote(text), why));
    return diags;
  };
  // Split on '@' into action, target, trigger-and-options.
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, '@'))
    parts.push_back(part);
  if (!text.empty() && text.back() == '@') parts.push_back("");
  if (parts.size() != 3) return fail("expected three parts separated by '@'");
  FaultSpec f;
  f.name = text;
  f.where = {"--fault", 0, 0};
  const auto colon = parts[0].find(':');
  const std::string action = parts[0].substr(0, colon);
  const std::string arg = colon == std::string::npos ? "" : parts[0].substr(colon + 1);
  const FaultAction* a = FindFaultAction(action);
  if (!a) return fail(fmt::format("unknown action {}", GoQuote(action)));
  f.action = a;
  std::string error;
  if (!arg.empty()) {
    if (f.action->argument() == FaultArgument::kSignal) {
      auto sig = ParseSignal(arg);
      if (!sig) return fail(fmt::format("unknown signal {}", GoQuote(arg)));
      f.signal = *sig;
    } else if (f.action->argument() == FaultArgument::kExitCode) {
      if (!WholeInt(arg, &f.exit_code)) {
        return fail(fmt::format("exit code {} is not a number", GoQuote(arg)));
      }
    } else if (f.action->argument() == FaultArgument::kReplicas) {
      if (!WholeInt(arg, &f.replicas) || f.replicas < 0) {
        return fail(fmt::format("replicas {} is not a number of at least 0", GoQuote(arg)));
      }
    } else if (f.action->argument() == FaultArgument::kDelay) {
      auto d = ParseGoDuration(arg, &error);
      if (!d) return fail(error);
      f.delay = *d;
    } else {
      f.message = arg;
    }
  }
  // Target: pod=NAME | node=NAME | selector=SEL | Master | Worker-1 | NAME; /CONTAINER optional.
  std::string target = parts[1];
  if (const auto slash = target.rfind('/');
      slash != std::string::npos && target.find('=') > slash) {
    f.target.container = target.substr(slash + 1);
    target = target.substr(0, slash);
  }
  if (f.action->argument() == FaultArgument::kReplicas && colon == std::string::npos) {
    return fail("scale needs the new number of replicas, e.g. scale:4@Worker@at=1m");
  }
  if (target.rfind("job=", 0) == 0) {
    f.target.job = target.substr(4);
  } else if (target.rfind("pod=", 0) == 0) {
    f.target.pod = target.substr(4);
  } else if (target.rfind("node=", 0) == 0) {
    f.target.node = target.substr(5);
  } else if (target.rfind("selector=", 0) == 0) {
    f.target.selector = target.substr(9);
    auto selector = LabelSelector::Parse(f.target.selector);
    if (!selector.ok()) return fail(selector.diagnostics().items().front().message);
  } else if (target == "Master" || target == "Worker" || target.rfind("Master-", 0) == 0 ||
             target.rfind("Worker-", 0) == 0) {
    f.target.replica_type = target.substr(0, 6);
    if (target.size() > 6) {
      int index = 0;
      if (!WholeInt(std::string_view(target).substr(7), &index) || index < 0) {
        return fail(
            fmt::format("replica index in {} is not a number of at least 0", GoQuote(target)));
      }
      f.target.replica_index = index;
    }
  } else if (target == "*" || target.empty()) {
  } else {
    f.target.pod = target;
  }
  // Trigger and options, comma-separated.
  std::stringstream opts(parts[2]);
  std::string opt;
  while (std::getline(opts, opt, ',')) {
    const auto eq = opt.find('=');
    if (eq == std::string::npos) return fail(fmt::format("{} is not KEY=VALUE", GoQuote(opt)));
    const std::string key = opt.substr(0, eq);
    const std::string value = opt.substr(eq + 1);
    auto duration = [&]() -> std::optional<Duration> {
      auto d = ParseGoDuration(value, &error);
      if (!d) fail(fmt::format("{}: {}", key, error));
      return d;
    };
    if (key == "at") {
      auto d = duration();
      if (!d) return diags;
      f.when.at = *d;
    } else if (key == "every") {
      auto d = duration();
      if (!d) return diags;
      f.when.every = *d;
    } else if (key == "after-running") {
      auto d = duration();
      if (!d) return diags;
      f.when.after_running = *d;
    } else if (key == "log") {
      f.when.log_line = value;
      std::string why;
      f.when.log_regex = CompileUserRegex(value, &why);
      if (!f.when.log_regex) {
        return fail(fmt::format("bad regular expression {}: {}", GoQuote(value), why));
      }
    } else if (key == "incarnation") {
      int n = 0;
      if (!WholeInt(value, &n) || n < 1) {
        return fail("incarnation must be a number of at least 1 (incarnations count from 1)");
      }
      f.when.incarnation = n;
    } else if (key == "condition") {
      f.when.condition = value;
    } else if (key == "delay") {
      auto d = duration();
      if (!d) return diags;
      f.when.delay = *d;
    } else if (key == "duration") {
      auto d = duration();
      if (!d) return diags;
      f.duration = *d;
    } else if (key == "repeat") {
      if (value == "always") {
        f.repeat_always = true;
      } else if (!WholeInt(value, &f.repeat) || f.repeat < 1) {
        return fail(
            fmt::format("repeat must be a number from 1 to {} or \"always\"", kMaxFaultFirings));
      }
    } else {
      return fail(fmt::format("unknown option {}", GoQuote(key)));
    }
  }
  ValidateFaultSpec(f, &diags);
  if (!diags.ok()) return diags;
  return f;
}

}  // namespace ptsim
