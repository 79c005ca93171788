#include "sim/model/container_script.hpp"

#include <fmt/format.h>

#include <charconv>

#include "sim/core/go_quote.hpp"
#include "sim/core/signals.hpp"
#include "sim/model/go_duration.hpp"

namespace ptsim {
namespace {

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> Split(std::string_view s, std::string_view separators) {
  std::vector<std::string> parts;
  std::string current;
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (!quoted && separators.find(c) != std::string_view::npos) {
      parts.push_back(Trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(Trim(current));
  return parts;
}

bool ParseInt(std::string_view s, int* out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

const ScriptIncarnation& ContainerScript::ForRestart(int restart_count) const {
  const std::size_t i = static_cast<std::size_t>(restart_count);
  return i < incarnations.size() ? incarnations[i] : incarnations.back();
}

Result<ContainerScript> ParseContainerScript(std::string_view text, const SourceLocation& where,
                                             const std::string& object) {
  ContainerScript script;
  script.source = std::string(text);
  Diagnostics diags;
  auto fail = [&](const std::string& step, const std::string& why) {
    diags.Error(where, object, "",
                fmt::format("container script {}: step {}: {}", GoQuote(text), GoQuote(step), why));
  };
  for (const std::string& incarnation_text : Split(text, "|")) {
    ScriptIncarnation incarnation;
    for (const std::string& step_text : Split(incarnation_text, ",;")) {
      if (step_text.empty()) continue;
      const auto space = step_text.find(' ');
      const std::string verb = step_text.substr(0, space);
      const std::string arg = space == std::string::npos ? "" : Trim(step_text.substr(space));
      ScriptStep step;
      std::string error;
      if (verb == "run" || verb == "sleep") {
        step.kind = ScriptStep::Kind::kRun;
        auto d = ParseGoDuration(arg, &error);
        if (!d || *d < Duration{0}) {
          fail(step_text, d ? "the duration must not be negative" : error);
          continue;
        }
        step.duration = *d;
      } else if (verb == "log") {
        step.kind = ScriptStep::Kind::kLog;
        step.text = arg.size() >= 2 && arg.front() == '"' && arg.back() == '"'
                        ? arg.substr(1, arg.size() - 2)
                        : arg;
      } else if (verb == "steps") {
        step.kind = ScriptStep::Kind::kSteps;
        const auto every = arg.find(" every ");
        if (every == std::string::npos || !ParseInt(Trim(arg.substr(0, every)), &step.value) ||
            step.value < 1) {
          fail(step_text, "write it as: steps <count> every <duration>");
          continue;
        }
        if (step.value > kMaxScriptSteps) {
          fail(step_text, fmt::format("at most {} steps", kMaxScriptSteps));
          continue;
        }
        auto d = ParseGoDuration(Trim(arg.substr(every + 7)), &error);
        if (!d || *d < Duration{0}) {
          fail(step_text, d ? "the interval must not be negative" : error);
          continue;
        }
        step.duration = *d;
      } else if (verb == "exit") {
        step.kind = ScriptStep::Kind::kExit;
        if (!ParseInt(arg, &step.value) || step.value < 0 || step.value > 255) {
          fail(step_text, "the exit code must be an integer from 0 to 255");
          continue;
        }
      } else if (verb == "signal" || verb == "kill") {
        step.kind = ScriptStep::Kind::kSignal;
        auto sig = ParseSignal(arg);
        if (!sig) {
          fail(step_text,
               fmt::format("unknown signal {}; use a name like SIGKILL or a number", GoQuote(arg)));
          continue;
        }
        step.value = *sig;
      } else if (verb == "oom") {
        step.kind = ScriptStep::Kind::kOom;
      } else if (verb == "forever" || verb == "hang") {
        step.kind = ScriptStep::Kind::kForever;
      } else {
        fail(step_text, fmt::format("unknown step {}; steps are run, log, steps, exit, "
                                    "signal, oom and forever",
                                    GoQuote(verb)));
        continue;
      }
      incarnation.steps.push_back(std::move(step));
    }
    script.incarnations.push_back(std::move(incarnation));
  }
  if (script.incarnations.empty()) fail(std::string(text), "the script is empty");
  if (!diags.ok()) return diags;
  return script;
}

}  // namespace ptsim
