#include "sim/harness/report_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/harness/flyte_report.hpp"
#include "sim/harness/pod_rows.hpp"
#include "sim/harness/report_fields.hpp"
#include "sim/harness/report_junit.hpp"
#include "sim/harness/summary_text.hpp"
#include "sim/harness/timeline_svg.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

// A string as itself, anything else as JSON.
std::string Plain(const json& j) {
  return j.is_string() ? j.get<std::string>() : j.dump();
}
std::string Legend() {
  std::string out = "<p class='legend'>";
  for (auto [color, label] : std::initializer_list<std::pair<const char*, const char*>>{
           {"#43a047", "Completed"},
           {"#e53935", "Error (exit code)"},
           {"#fb8c00", "killed by a signal"},
           {"#8e24aa", "OOMKilled"},
           {"#6d4c41", "StartError"},
           {"#1e88e5", "running"},
           {"#9e9e9e", "terminated by ptsim at the end"}}) {
    out += fmt::format("<span><i style='background:{}'></i>{}</span>", color, label);
  }
  return out + "<span><i style='background:#d81b60'></i>fault</span></p>";
}

std::string Table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><tr>";
  for (const auto& h : header)
    out += "<th>" + XmlEscape(h) + "</th>";
  out += "</tr>";
  for (const auto& r : rows) {
    out += "<tr>";
    for (const auto& cell : r)
      out += "<td>" + cell + "</td>";
    out += "</tr>";
  }
  return out + "</table>";
}

// The pod table, kubectl's columns (summary_text.hpp), each run's log linked.
std::string PodTableHtml(const json& report, const std::string& html_dir) {
  const std::vector<PodRow> pods = PodRows(report);
  if (pods.empty()) return "";
  std::vector<std::vector<std::string>> rows;
  bool ended_by_ptsim = false;
  bool collapsed = false;
  for (const auto& r : pods) {
    ended_by_ptsim = ended_by_ptsim || r.ended_by_ptsim;
    collapsed = collapsed || r.incarnations > 1;
    std::string logs;
    for (const char* list : {"initContainers", "containers"}) {
      if (!r.newest->contains(list)) continue;
      for (const auto& c : (*r.newest)[list]) {
        for (const auto& run : c.value("runs", json::array())) {
          if (StringField(run, "log").empty()) continue;
          logs += fmt::format("<a href='{}'>{}#{}</a> ",
                              XmlEscape(LogHref(StringField(run, "log"), html_dir)),
                              XmlEscape(StringField(c, "name")), run.value("restartCount", 0));
        }
      }
    }
    rows.push_back({XmlEscape(PodRowLabel(r)), XmlEscape(r.ready),
                    r.ended_by_ptsim ? "<span class='meta'>" + XmlEscape(r.status) + "</span>"
                                     : XmlEscape(r.status),
                    XmlEscape(r.restarts), XmlEscape(r.age), XmlEscape(r.exit),
                    r.deleted_at ? fmt::format("{:.3f}s", *r.deleted_at) : "-", logs});
  }
  std::string out = "<h2>Pods</h2>" + Table({"NAME", "READY", "STATUS", "RESTARTS", "AGE", "EXIT",
                                             "DELETED", "logs (newest pod)"},
                                            rows);
  if (collapsed) {
    out +=
        "<p class='meta'>(xN): N pods of that name were created, each with a new uid; the row "
        "shows the newest, the timeline lane all of them.</p>";
  }
  if (ended_by_ptsim) {
    out += "<p class='meta'>" + XmlEscape(kTerminatedAtRunEnd) +
           ": still running when the run ended; ptsim stopped it.</p>";
  }
  return out;
}

// One condition table per job (a Flyte task's attempts are jobs of their own).
std::string ConditionTables(const json& report) {
  const json jobs =
      report.contains("jobs") && report["jobs"].is_array()
          ? report["jobs"]
          : (report["job"].is_object() ? json::array({report["job"]}) : json::array());
  std::string out;
  for (const auto& job : jobs) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : job["conditionHistory"]) {
      rows.push_back({fmt::format("{:.3f}s", NumberField(c, "time")),
                      XmlEscape(StringField(c, "type")), XmlEscape(StringField(c, "status")),
                      XmlEscape(StringField(c, "reason")), XmlEscape(StringField(c, "message"))});
    }
    // Long histories (a crash loop) fold their repeats, as the text summary does.
    if (rows.size() > 20) {
      rows.clear();
      for (const auto& g : FoldConditionHistory(job["conditionHistory"])) {
        const double t = NumberField(g.first, "time");
        rows.push_back({fmt::format("{:.3f}s", t), XmlEscape(StringField(g.first, "type")),
                        XmlEscape(StringField(g.first, "status")),
                        XmlEscape(StringField(g.first, "reason")),
                        XmlEscape(g.last_message + RepeatSuffix(g.count, t, g.last_time))});
      }
    }
    const std::string heading = jobs.size() > 1
                                    ? "Job conditions: " + XmlEscape(JobKindField(job)) + " " +
                                          XmlEscape(StringField(job, "name"))
                                    : "Job conditions";
    out +=
        "<h2>" + heading + "</h2>" + Table({"time", "type", "status", "reason", "message"}, rows);
  }
  return out;
}

std::string ExpectationsTable(const json& report) {
  if (report["expectations"].empty()) return "";
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : report["expectations"]) {
    const bool ok = e["passed"].get<bool>();
    rows.push_back({ok ? "<span class='pass'>ok</span>" : "<span class='fail'>FAIL</span>",
                    XmlEscape(StringField(e, "description")),
                    "<code>" + XmlEscape(Plain(e["expected"])) + "</code>",
                    "<code>" + XmlEscape(Plain(e["actual"])) + "</code>"});
  }
  return "<h2>Expectations</h2>" + Table({"", "expectation", "want", "got"}, rows);
}

// Each note numbered, with an anchor the timeline's note marks link to.
std::string NotesTable(const json& report, const std::string& anchor) {
  if (report["notes"].empty()) return "";
  std::vector<std::vector<std::string>> rows;
  int number = 0;
  for (const auto& n : report["notes"]) {
    ++number;
    rows.push_back(
        {fmt::format("<span id='{}-note-{}'>{}</span>", XmlEscape(anchor), number, number),
         fmt::format("{:.3f}s", NumberField(n, "time")), XmlEscape(StringField(n, "text")),
         XmlEscape(StringField(n, "ref"))});
  }
  return "<h2>Notes</h2>" + Table({"", "time", "note", "reference"}, rows);
}

std::string FaultsTable(const json& report) {
  if (report["faults"].empty()) return "";
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : report["faults"]) {
    std::string fired;
    for (const auto& x : f["fired"])
      fired +=
          fmt::format("{:.3f}s → {}<br>", NumberField(x, "time"), XmlEscape(x["targets"].dump()));
    rows.push_back({XmlEscape(StringField(f, "name")), XmlEscape(StringField(f, "action")),
                    XmlEscape(StringField(f, "target")), XmlEscape(StringField(f, "trigger")),
                    fired.empty() ? "never" : fired});
  }
  return "<h2>Faults</h2>" + Table({"name", "action", "target", "trigger", "fired"}, rows);
}

// The first 500 events; the rest are in the JSON report.
std::string EventsTable(const json& report) {
  std::vector<std::vector<std::string>> rows;
  std::size_t n = 0;
  for (const auto& e : report["events"]) {
    if (++n > 500) break;
    rows.push_back({fmt::format("{:.3f}s", NumberField(e, "time")),
                    XmlEscape(StringField(e, "type")), XmlEscape(StringField(e, "reason")),
                    XmlEscape(StringField(e, "object")), XmlEscape(StringField(e, "message")),
                    std::to_string(e.value("count", 1))});
  }
  std::string out =
      "<h2>Events</h2>" + Table({"time", "type", "reason", "object", "message", "count"}, rows);
  if (n > 500)
    out += fmt::format("<p class='meta'>… and {} more in the JSON report</p>",
                       report["events"].size() - 500);
  return out;
}

std::string Section(const json& report, const std::string& anchor, const std::string& html_dir) {
  const bool passed = report.value("passed", false);
  std::string out = "<section id='" + XmlEscape(anchor) + "'>";
  out +=
      fmt::format("<h1>{} <span class='{}'>{}</span></h1>", XmlEscape(StringField(report, "name")),
                  passed ? "pass" : "fail", passed ? "PASS" : "FAIL");
  if (!StringField(report, "description").empty())
    out += "<p>" + XmlEscape(StringField(report, "description")) + "</p>";
  out += fmt::format(
      "<p class='meta'>{} · operator {} · seed {} · {:.3f}s virtual · {:.3f}s wall · outcome {} · "
      "ptsim {} · trace {}</p>",
      XmlEscape(StringField(report, "source")), XmlEscape(StringField(report, "operatorVersion")),
      report.value("seed", 0), NumberField(report, "virtualSeconds"),
      NumberField(report, "wallSeconds"), XmlEscape(StringField(report, "outcome")),
      XmlEscape(StringField(report, "ptsimVersion")),
      XmlEscape(StringField(report, "traceDigest")));
  out += "<h2>Timeline</h2>" + Legend() + TimelineSvg(report, {anchor, html_dir});
  out += PodTableHtml(report, html_dir);
  out += ConditionTables(report);
  if (report.contains("flyte")) out += FlyteHtmlSection(report["flyte"]);
  out += ExpectationsTable(report) + NotesTable(report, anchor) + FaultsTable(report);
  return out + EventsTable(report) + "</section>";
}

// Several runs: a table first, failures first, each run linked to its section.
std::string RunsTable(const std::vector<json>& reports) {
  std::vector<std::size_t> order(reports.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return !reports[a].value("passed", false) && reports[b].value("passed", false);
  });
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i : order) {
    const json& r = reports[i];
    const bool passed = r.value("passed", false);
    std::string condition = "-";
    if (r.contains("job") && r["job"].is_object() && !r["job"]["status"]["conditions"].empty()) {
      const json& c = r["job"]["status"]["conditions"].back();
      condition = StringField(c, "type") + "=" + StringField(c, "status");
    }
    int failed = 0;
    for (const auto& e : r.value("expectations", json::array()))
      failed += e.value("passed", true) ? 0 : 1;
    rows.push_back(
        {passed ? "<span class='pass'>PASS</span>" : "<span class='fail'>FAIL</span>",
         fmt::format("<a href='#run-{}'>{}</a>", i + 1, XmlEscape(StringField(r, "name"))),
         XmlEscape(StringField(r, "outcome")), XmlEscape(condition),
         failed ? std::to_string(failed) : "-",
         fmt::format("{:.1f}s", NumberField(r, "virtualSeconds")),
         fmt::format("{:.2f}s", NumberField(r, "wallSeconds")),
         XmlEscape(StringField(r, "source"))});
  }
  return "<h1>ptsim: " + std::to_string(reports.size()) + " runs</h1>" +
         Table({"verdict", "run", "outcome", "job", "failed expectations", "virtual", "wall",
                "source"},
               rows);
}

}  // namespace

std::string HtmlReport(const std::vector<json>& reports, const std::string& html_dir) {
  std::string title = reports.size() == 1 ? StringField(reports[0], "name")
                                          : fmt::format("{} runs", reports.size());
  std::string out = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>";
  out += "<title>ptsim: " + XmlEscape(title) + "</title><style>";
  out +=
      "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#263238}h1{margin:0 0 4px}"
      "h2{margin-top:28px;border-bottom:1px solid #eceff1}.pass{color:#2e7d32}.fail{color:#c62828}"
      "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #e0e0e0;padding:3px "
      "8px;"
      "text-align:left;vertical-align:top}th{background:#f5f5f5}.meta{color:#607d8b}"
      ".legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:12px;"
      "height:10px;margin-right:4px;border-radius:2px}code{font-size:12px}"
      "section{margin-top:32px}section+section{margin-top:48px;border-top:3px solid "
      "#cfd8dc;padding-top:16px}";
  out += "</style></head><body>";
  if (reports.size() > 1) out += RunsTable(reports);
  for (std::size_t i = 0; i < reports.size(); ++i)
    out += Section(reports[i], fmt::format("run-{}", i + 1), html_dir);
  out += "</body></html>\n";
  return out;
}

}  // namespace ptsim
