#include "sim/harness/faults/fault_flag.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <sstream>
#include <vector>

#include "sim/core/go_quote.hpp"
#include "sim/harness/faults/fault_argument.hpp"
#include "sim/harness/faults/fault_decoder.hpp"
#include "sim/model/go_duration.hpp"

namespace ptsim {
namespace {

// The OPTIONs of TRIGGER, the fields they set, and a word a number field
// takes instead of a number.
struct Option {
  std::string_view key;
  std::string_view field;
  std::string_view word = {};
};
constexpr std::array<Option, 9> kOptions = {{
    {"at", "when.at"},
    {"every", "when.every"},
    {"after-running", "when.afterRunning"},
    {"log", "when.logLine"},
    {"incarnation", "when.incarnation"},
    {"condition", "when.condition"},
    {"delay", "when.delay"},
    {"duration", "duration"},
    {"repeat", "repeat", "always"},
}};

std::vector<std::string> SplitOn(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator))
    parts.push_back(part);
  return parts;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "Master", "Worker", "Master-N", "Worker-N": a replica type (and index).
bool IsReplica(std::string_view target) {
  return target == "Master" || target == "Worker" || StartsWith(target, "Master-") ||
         StartsWith(target, "Worker-");
}

// The whole of `text` as a decimal integer (std::stoi would take "3x" as 3).
template <typename T>
std::optional<T> WholeNumber(std::string_view text) {
  T out{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

}  // namespace

FlagFaultFields::FlagFaultFields(std::string text) : text_(std::move(text)) {
  std::vector<std::string> parts = SplitOn(text_, '@');
  if (!text_.empty() && text_.back() == '@') parts.push_back("");
  if (parts.size() != 3) {
    Error("", "expected three parts separated by '@'");
    return;
  }
  values_["name"] = {text_, "", ""};
  SplitAction(parts[0]);
  SplitTarget(parts[1]);
  SplitOptions(parts[2]);
}

// ACTION[:ARG]: ARG is the action's argument (a message for an action without
// one, and for an unknown action, which the decoder reports).
void FlagFaultFields::SplitAction(const std::string& part) {
  const auto colon = part.find(':');
  const std::string action = part.substr(0, colon);
  values_["action"] = {action, "", ""};
  if (colon == std::string::npos || colon + 1 == part.size()) return;
  const std::string arg = part.substr(colon + 1);
  const FaultAction* a = FindFaultAction(action);
  const FaultArgumentInfo& info = ArgumentInfo(a ? a->argument() : FaultArgument::kNone);
  values_[std::string(info.field)] = {arg, "", fmt::format("{} {}", info.noun, GoQuote(arg))};
}

// pod=NAME | node=NAME | selector=SEL | job=NAME | Master | Worker-1 | * | NAME,
// then /CONTAINER (only where no '=' follows the last '/': a selector's key
// may hold a '/').
void FlagFaultFields::SplitTarget(std::string target) {
  if (const auto slash = target.rfind('/');
      slash != std::string::npos && target.find('=') > slash) {
    values_["target.container"] = {target.substr(slash + 1), "", ""};
    target = target.substr(0, slash);
  }
  for (std::string_view key : {"job", "pod", "node", "selector"}) {
    if (StartsWith(target, std::string(key) + "=")) {
      values_[fmt::format("target.{}", key)] = {target.substr(key.size() + 1), "", ""};
      return;
    }
  }
  if (IsReplica(target)) {
    values_["target.replicaType"] = {target.substr(0, 6), "", ""};
    if (target.size() > 6) {
      values_["target.replicaIndex"] = {target.substr(7), "",
                                        fmt::format("replica index in {}", GoQuote(target))};
    }
  } else if (target != "*" && !target.empty()) {
    values_["target.pod"] = {target, "", ""};
  }
}

// TRIGGER[,OPTION=VALUE...]: each OPTION sets its field; the last one wins.
void FlagFaultFields::SplitOptions(const std::string& part) {
  for (const std::string& option : SplitOn(part, ',')) {
    const auto eq = option.find('=');
    if (eq == std::string::npos) {
      Error("", fmt::format("{} is not KEY=VALUE", GoQuote(option)));
      return;
    }
    const std::string key = option.substr(0, eq);
    auto known = std::find_if(kOptions.begin(), kOptions.end(),
                              [&](const Option& o) { return o.key == key; });
    if (known == kOptions.end()) {
      Error("", fmt::format("unknown option {}", GoQuote(key)));
      return;
    }
    values_[std::string(known->field)] = {option.substr(eq + 1), key, ""};
  }
}

const FlagFaultFields::Value* FlagFaultFields::Find(std::string_view field) const {
  auto it = values_.find(field);
  return it == values_.end() ? nullptr : &it->second;
}

bool FlagFaultFields::Is(std::string_view field, std::string_view word) {
  const Value* v = Find(field);
  return v != nullptr && v->text == word;
}

std::optional<std::string> FlagFaultFields::Text(std::string_view field) {
  const Value* v = Find(field);
  return v ? std::optional<std::string>(v->text) : std::nullopt;
}

void FlagFaultFields::NotANumber(std::string_view field, const Value& value) {
  std::string message =
      fmt::format("{} is not a number", value.noun.empty() ? GoQuote(value.text) : value.noun);
  for (const Option& o : kOptions) {
    if (o.key == value.option && !o.word.empty()) message += fmt::format(", nor \"{}\"", o.word);
  }
  Error(field, message);
}

std::optional<std::int32_t> FlagFaultFields::Int32(std::string_view field) {
  const Value* v = Find(field);
  if (v == nullptr) return std::nullopt;
  auto n = WholeNumber<std::int32_t>(v->text);
  if (!n) NotANumber(field, *v);
  return n;
}

std::optional<std::int64_t> FlagFaultFields::Int64(std::string_view field) {
  const Value* v = Find(field);
  if (v == nullptr) return std::nullopt;
  auto n = WholeNumber<std::int64_t>(v->text);
  if (!n) NotANumber(field, *v);
  return n;
}

std::optional<Duration> FlagFaultFields::Time(std::string_view field) {
  const Value* v = Find(field);
  if (v == nullptr) return std::nullopt;
  std::string error;
  auto d = ParseGoDuration(v->text, &error);
  if (!d) Error(field, error);
  return d;
}

std::string FlagFaultFields::Name(std::string_view field) const {
  for (const Option& o : kOptions) {
    if (o.field == field) return std::string(o.key);
  }
  return std::string(field.substr(field.rfind('.') + 1));
}

void FlagFaultFields::Error(std::string_view field, std::string message) {
  if (!diagnostics_.ok()) return;  // the first mistake only
  const Value* v = Find(field);
  const std::string option = v && !v->option.empty() ? v->option + ": " : "";
  diagnostics_.Error(
      where(), "", "",
      fmt::format("{}: {}{}; write ACTION[:ARG]@TARGET[/CONTAINER]@TRIGGER[,OPTION=VALUE...], "
                  "e.g. kill:SIGKILL@Worker-1@log=step 50",
                  GoQuote(text_), option, message));
}

void FlagFaultFields::Missing(std::string_view action, std::string_view field,
                              std::string_view what, std::string_view example) {
  Error(field, fmt::format("{} needs {}, e.g. {}:{}@Worker@at=1m", action, what, action, example));
}

Result<FaultSpec> ParseFaultFlag(const std::string& text) {
  FlagFaultFields fields(text);
  if (!fields.ok()) return fields.diagnostics();
  FaultSpec f;
  DecodeFaultFields(fields, &f);
  if (!fields.ok()) return fields.diagnostics();
  Diagnostics diagnostics;
  ValidateFaultSpec(f, &diagnostics);
  if (!diagnostics.ok()) return diagnostics;
  return f;
}

}  // namespace ptsim
