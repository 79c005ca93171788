#include "sim/harness/flyte_expectation.hpp"
#include "sim/harness/report_fields.hpp"

#include <fmt/format.h>

#include <set>

#include "sim/core/go_quote.hpp"
#include "sim/model/user_regex.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

const std::set<std::string> kPhases = {"Undefined",       "NotReady",         "WaitingForResources",
                                       "Queued",          "Initializing",     "Running",
                                       "Success",         "RetryableFailure", "PermanentFailure",
                                       "WaitingForCache", "Aborted"};

json DeckNames(const json& decks) {
  json names = json::array();
  if (decks.is_array()) {
    for (const auto& d : decks)
      names.push_back(StringField(d, "name"));
  }
  return names;
}

}  // namespace

void DecodeFlyteExpectation(MapReader& m, FlyteExpectation* out) {
  DecodeContext& ctx = m.ctx();
  std::optional<std::int32_t> attempt;
  m.OptInt32("attempt", &attempt);
  if (attempt) {
    if (*attempt < 0) ctx.Error(m.Get("attempt"), m.FieldPath("attempt"), "attempts count from 0");
    out->attempt = *attempt;
  }
  m.String("phase", &out->phase);
  if (!out->phase.empty() && !kPhases.count(out->phase)) {
    ctx.Error(m.Get("phase"), m.FieldPath("phase"),
              fmt::format("unknown Flyte phase \"{}\"; phases are Queued, Initializing, Running, "
                          "Success, RetryableFailure, PermanentFailure, Aborted, Undefined",
                          out->phase));
  }
  std::optional<std::int32_t> attempts;
  m.OptInt32("attempts", &attempts);
  if (attempts) {
    if (out->attempt) {
      ctx.Error(m.Get("attempts"), m.FieldPath("attempts"),
                "`attempts` counts the task's attempts; leave it out with `attempt`");
    }
    out->attempts = *attempts;
  }
  m.String("name", &out->name);
  if (!out->name.empty() && !out->attempt) {
    ctx.Error(m.Get("name"), m.FieldPath("name"), "`name` is an attempt's object: add `attempt`");
  }
  m.String("errorCode", &out->error_code);
  m.String("errorKind", &out->error_kind);
  if (!out->error_kind.empty() && out->error_kind != "USER" && out->error_kind != "SYSTEM" &&
      out->error_kind != "UNKNOWN") {
    ctx.Error(m.Get("errorKind"), m.FieldPath("errorKind"), "errorKind is USER, SYSTEM or UNKNOWN");
  }
  m.String("message", &out->message_text);
  if (!out->message_text.empty()) {
    std::string why;
    out->message = CompileUserRegex(out->message_text, &why);
    if (!out->message) {
      ctx.Error(m.Get("message"), m.FieldPath("message"),
                fmt::format("bad regular expression {}: {}", GoQuote(out->message_text), why));
    }
  }
  if (YAML::Node rv = m.Get("returnValue"); rv.IsDefined()) {
    std::string why;
    out->return_value = YamlToJson(rv, &why);
    if (!out->return_value) ctx.Error(rv, m.FieldPath("returnValue"), why);
  }
  if (YAML::Node decks = m.Get("decks"); !IsAbsent(decks)) {
    std::vector<std::string> names;
    m.StringList("decks", &names);
    out->decks = names;
  }
  const bool any = !out->phase.empty() || out->attempts || !out->name.empty() ||
                   !out->error_code.empty() || !out->error_kind.empty() ||
                   !out->message_text.empty() || out->return_value || out->decks;
  if (!any) {
    ctx.Error(m.node(), m.path(),
              "give phase, attempts, name, errorCode, errorKind, message, returnValue or decks");
  }
}

std::string DescribeFlyteExpectation(const FlyteExpectation& e) {
  std::vector<std::string> parts;
  if (!e.phase.empty()) parts.push_back("phase " + e.phase);
  if (e.attempts) parts.push_back(fmt::format("{} attempt(s)", *e.attempts));
  if (!e.name.empty()) parts.push_back("named " + e.name);
  if (!e.error_code.empty()) parts.push_back("error code " + e.error_code);
  if (!e.error_kind.empty()) parts.push_back("error kind " + e.error_kind);
  if (!e.message_text.empty()) parts.push_back(fmt::format("error message /{}/", e.message_text));
  if (e.return_value) parts.push_back("return value " + e.return_value->dump());
  if (e.decks) parts.push_back(fmt::format("decks [{}]", fmt::join(*e.decks, ", ")));
  const std::string what =
      e.attempt ? fmt::format("Flyte attempt {}", *e.attempt) : std::string("the Flyte task");
  return fmt::format("{} has {}", what, fmt::join(parts, ", "));
}

FlyteCheck EvaluateFlyteExpectation(const FlyteExpectation& e, const json& report) {
  FlyteCheck c;
  c.expected = DescribeFlyteExpectation(e);
  if (!report.contains("flyte") || !report["flyte"].is_object()) {
    c.actual = "not a Flyte task";
    return c;
  }
  const json& flyte = report["flyte"];
  const json* subject = &flyte;
  if (e.attempt) {
    subject = nullptr;
    for (const auto& a : flyte["attempts"]) {
      if (a.value("attempt", -1) == *e.attempt) subject = &a;
    }
    if (subject == nullptr) {
      c.actual = fmt::format("no attempt {} ({} made)", *e.attempt, flyte["attempts"].size());
      return c;
    }
  }
  const json& s = *subject;
  const json& error = s["error"];
  json actual = json::object();
  bool ok = true;
  if (!e.phase.empty()) {
    actual["phase"] = StringField(s, "phase");
    ok = ok && StringField(s, "phase") == e.phase;
  }
  if (e.attempts) {
    actual["attempts"] = flyte["attempts"].size();
    ok = ok && static_cast<int>(flyte["attempts"].size()) == *e.attempts;
  }
  if (!e.name.empty()) {
    actual["name"] = StringField(s, "name");
    ok = ok && StringField(s, "name") == e.name;
  }
  if (!e.error_code.empty()) {
    actual["errorCode"] = error.is_object() ? json(StringField(error, "code")) : json(nullptr);
    ok = ok && StringField(error, "code") == e.error_code;
  }
  if (!e.error_kind.empty()) {
    actual["errorKind"] = error.is_object() ? json(StringField(error, "kind")) : json(nullptr);
    ok = ok && StringField(error, "kind") == e.error_kind;
  }
  if (e.message) {
    actual["message"] = error.is_object() ? json(StringField(error, "message")) : json(nullptr);
    ok = ok && error.is_object() && SearchUserRegex(*e.message, StringField(error, "message"));
  }
  if (e.return_value) {
    actual["returnValue"] = s.value("returnValue", json());
    ok = ok && s.value("returnValue", json()) == *e.return_value;
  }
  if (e.decks) {
    json names = DeckNames(s.value("decks", json()));
    actual["decks"] = names;
    std::vector<std::string> want = *e.decks;
    std::sort(want.begin(), want.end());
    ok = ok && names == json(want);
  }
  c.actual = actual;
  c.passed = ok;
  return c;
}

}  // namespace ptsim
