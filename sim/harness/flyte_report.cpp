#include "sim/harness/flyte_report.hpp"

#include <fmt/format.h>

#include "sim/harness/report_fields.hpp"
#include "sim/harness/report_junit.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

// One line of a possibly multi-line message, for tables and summaries.
std::string FirstLines(const std::string& text, std::size_t lines) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < lines && start < text.size(); ++i) {
    std::size_t end = text.find('\n', start);
    std::string line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out += (out.empty() ? "" : " | ") + line;
    if (end == std::string::npos) return out;
    start = end + 1;
  }
  return start < text.size() ? out + " …" : out;
}

std::string ErrorText(const json& error) {
  if (!error.is_object()) return "";
  return fmt::format("{} {}: {}", StringField(error, "kind"), StringField(error, "code"),
                     FirstLines(StringField(error, "message"), 3));
}

}  // namespace

const char* FlytePhaseColor(const std::string& phase) {
  if (phase == "Success") return "#2e7d32";
  if (phase == "PermanentFailure") return "#c62828";
  if (phase == "RetryableFailure") return "#ef6c00";
  if (phase == "Running") return "#1565c0";
  if (phase == "Initializing") return "#00838f";
  return "#546e7a";
}

std::string FlyteSummaryText(const json& flyte) {
  if (!flyte.is_object()) return "";
  const json& exec = flyte["execution"];
  std::string out = fmt::format(
      "Flyte task {}/{}/{} node {} ({}, {} attempt(s) allowed, {} made):\n",
      StringField(exec, "project"), StringField(exec, "domain"), StringField(exec, "name"),
      StringField(exec, "nodeId"), StringField(flyte, "taskType"), flyte.value("maxAttempts", 0),
      flyte["attempts"].size());
  for (const auto& p : flyte["phases"]) {
    std::string detail = StringField(p, "reason");
    if (p["error"].is_object()) detail = ErrorText(p["error"]);
    const std::string phase = fmt::format("{} v{}", StringField(p, "phase"), p.value("version", 0));
    out += fmt::format("  {:8.3f}s  attempt {}  {:<20} {}\n", NumberField(p, "at"),
                       p.value("attempt", 0), phase, detail);
  }
  out += fmt::format("  final: {}", StringField(flyte, "phase"));
  if (flyte["error"].is_object()) out += "  " + ErrorText(flyte["error"]);
  out += "\n";
  if (!flyte["returnValue"].is_null())
    out += "  return value: " + flyte["returnValue"].dump() + "\n";
  for (const auto& d : flyte["decks"])
    out += fmt::format("  deck {}: {}\n", StringField(d, "name"), StringField(d, "path"));
  for (const auto& w : flyte["warnings"])
    out += "  warning: " + (w.is_string() ? w.get<std::string>() : w.dump()) + "\n";
  return out;
}

std::string FlyteHtmlSection(const json& flyte) {
  if (!flyte.is_object()) return "";
  const json& exec = flyte["execution"];
  std::string out = "<h2>Flyte task</h2>";
  out += fmt::format(
      "<p class='meta'>{} · task type {} v{} · execution {}/{}/{} node {} · namespace {} · "
      "retries {} ({} attempt(s) allowed, {} system retries)</p>",
      XmlEscape(StringField(flyte, "input")), XmlEscape(StringField(flyte, "taskType")),
      flyte.value("taskTypeVersion", 0), XmlEscape(StringField(exec, "project")),
      XmlEscape(StringField(exec, "domain")), XmlEscape(StringField(exec, "name")),
      XmlEscape(StringField(exec, "nodeId")), XmlEscape(StringField(exec, "namespace")),
      flyte.value("retries", 0), flyte.value("maxAttempts", 0), flyte.value("maxSystemRetries", 0));
  const std::string phase = StringField(flyte, "phase");
  out += fmt::format("<p>Final phase <b style='color:{}'>{}</b>", FlytePhaseColor(phase),
                     XmlEscape(phase));
  if (flyte["error"].is_object()) {
    out += fmt::format(" — <code>{} {}</code><pre>{}</pre>",
                       XmlEscape(StringField(flyte["error"], "kind")),
                       XmlEscape(StringField(flyte["error"], "code")),
                       XmlEscape(StringField(flyte["error"], "message")));
  }
  out += "</p>";
  out += "<table><tr><th>time</th><th>attempt</th><th>phase</th><th>reason / error</th></tr>";
  for (const auto& p : flyte["phases"]) {
    std::string detail = XmlEscape(StringField(p, "reason"));
    if (p["error"].is_object()) detail = "<code>" + XmlEscape(ErrorText(p["error"])) + "</code>";
    out += fmt::format(
        "<tr><td>{:.3f}s</td><td>{}</td><td style='color:{}'>{}</td><td>{}</td></tr>",
        NumberField(p, "at"), p.value("attempt", 0), FlytePhaseColor(StringField(p, "phase")),
        XmlEscape(StringField(p, "phase")), detail);
  }
  out += "</table>";
  out +=
      "<table><tr><th>attempt</th><th>object</th><th>phase</th><th>submitted</th>"
      "<th>ended</th><th>error document</th></tr>";
  for (const auto& a : flyte["attempts"]) {
    const json& doc = a["errorDocument"];
    out += fmt::format(
        "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{:.3f}s</td><td>{}</td><td>{}</td></tr>",
        a.value("attempt", 0), XmlEscape(StringField(a, "kind")), XmlEscape(StringField(a, "name")),
        XmlEscape(StringField(a, "phase")), NumberField(a, "submittedAt"),
        a["endedAt"].is_number() ? fmt::format("{:.3f}s", NumberField(a, "endedAt")) : "-",
        doc.is_object() ? XmlEscape(fmt::format("{} {} {} ({})", StringField(doc, "file"),
                                                StringField(doc, "code"), StringField(doc, "kind"),
                                                StringField(doc, "worker")))
                        : "-");
  }
  out += "</table>";
  if (!flyte["returnValue"].is_null()) {
    out += "<p>Return value: <code>" + XmlEscape(flyte["returnValue"].dump()) + "</code></p>";
  }
  for (const auto& d : flyte["decks"]) {
    out += fmt::format("<p>Deck <a href='file://{}'>{}</a></p>", XmlEscape(StringField(d, "path")),
                       XmlEscape(StringField(d, "name")));
  }
  return out;
}

}  // namespace ptsim
