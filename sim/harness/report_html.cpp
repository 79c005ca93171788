#include "sim/harness/report_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/harness/flyte_report.hpp"
#include "sim/harness/report_junit.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

std::string E(const std::string& s) {
  return XmlEscape(s);
}
std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}
// A string as itself, anything else as JSON.
std::string Plain(const json& j) {
  return j.is_string() ? j.get<std::string>() : j.dump();
}
double Num(const json& j, const char* key, double fallback = 0) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

// How an incarnation ended, as a colour and a legend label.
std::pair<const char*, const char*> RunStyle(const json& run) {
  if (run.value("terminatedByPtsim", false)) return {"#9e9e9e", "still running at the end"};
  if (run["finishedAt"].is_null()) return {"#1e88e5", "running"};
  const std::string reason = Str(run, "reason");
  if (reason == "Completed") return {"#43a047", "Completed (exit 0)"};
  if (reason == "OOMKilled") return {"#8e24aa", "OOMKilled"};
  if (reason == "StartError") return {"#6d4c41", "StartError"};
  if (run["signal"].is_number()) return {"#fb8c00", "killed by a signal"};
  return {"#e53935", "Error (exit code)"};
}

const char* ConditionColor(const std::string& type) {
  if (type == "Succeeded") return "#2e7d32";
  if (type == "Failed") return "#c62828";
  if (type == "Restarting") return "#f9a825";
  if (type == "Running") return "#1565c0";
  if (type == "Suspended") return "#6a1b9a";
  return "#546e7a";
}

// "12.5s", "3m" labels for the time axis.
std::string AxisLabel(double seconds) {
  if (seconds < 60) return fmt::format("{:g}s", std::round(seconds * 100) / 100);
  if (seconds < 3600) return fmt::format("{:g}m", std::round(seconds / 60 * 100) / 100);
  return fmt::format("{:g}h", std::round(seconds / 3600 * 100) / 100);
}

double NiceStep(double span) {
  const double raw = span / 8;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * magnitude) return m * magnitude;
  }
  return 10 * magnitude;
}

std::string TimelineSvg(const json& report) {
  const double end = std::max(Num(report, "virtualSeconds"), 1e-3);
  const int label_width = 230;
  const int width = 1100;
  const double plot = width - label_width - 110;  // room for labels at the right end
  auto x = [&](double t) { return label_width + plot * std::clamp(t / end, 0.0, 1.0); };
  // Where a mark's label goes: right of its line, or left of it (ending at
  // the line) near the right edge, so that long labels are not cut off.
  auto label_at = [&](double t) {
    const double px = x(t);
    return px > width - 180 ? fmt::format("x='{:.1f}' text-anchor='end'", px - 2)
                            : fmt::format("x='{:.1f}'", px + 2);
  };

  struct Lane {
    std::string label;
    const json* pod;
  };
  std::vector<Lane> lanes;
  for (const auto& p : report["pods"])
    lanes.push_back({Str(p, "name"), &p});
  const int row = 16;
  const int top = 48;
  int y = top;
  std::string body;
  // Pod lanes: one row per container, bars per incarnation.
  for (const auto& lane : lanes) {
    const json& p = *lane.pod;
    std::vector<const json*> containers;
    for (const auto& c : p["initContainers"])
      containers.push_back(&c);
    for (const auto& c : p["containers"])
      containers.push_back(&c);
    const int height = std::max<int>(34, static_cast<int>(containers.size()) * row + 8);
    body += fmt::format("<rect x='0' y='{}' width='{}' height='{}' fill='{}'/>", y, width, height,
                        (lanes.size() % 2 == 0) ? "#fafafa" : "#ffffff");
    const double created = Num(p, "createdAt");
    const double gone = p["deletedAt"].is_null() ? end : Num(p, "deletedAt");
    body += fmt::format(
        "<line x1='{:.1f}' x2='{:.1f}' y1='{}' y2='{}' stroke='#cfd8dc' stroke-width='2'/>",
        x(created), x(gone), y + height / 2, y + height / 2);
    body += fmt::format("<text x='6' y='{}' class='lane'>{}</text>", y + 13, E(Str(p, "name")));
    body += fmt::format("<text x='6' y='{}' class='sub'>{} · {}</text>", y + 25, E(Str(p, "phase")),
                        E(Str(p, "uid").substr(0, 8)));
    int cy = y + 4;
    for (const json* c : containers) {
      for (const auto& run : (*c)["runs"]) {
        const double s = Num(run, "startedAt");
        const double f = run["finishedAt"].is_null() ? end : Num(run, "finishedAt");
        auto [color, label] = RunStyle(run);
        const double w = std::max(2.0, x(f) - x(s));
        std::string title = fmt::format(
            "{}/{} #{}: {:.3f}s → {}", Str(p, "name"), Str(*c, "name"),
            run.value("restartCount", 0), s,
            run["finishedAt"].is_null() ? std::string("end") : fmt::format("{:.3f}s", f));
        if (run["exitCode"].is_number())
          title += fmt::format(", exit code {}", run["exitCode"].get<int>());
        if (!Str(run, "reason").empty()) title += " (" + Str(run, "reason") + ")";
        title += std::string(" — ") + label;
        body += fmt::format(
            "<rect x='{:.1f}' y='{}' width='{:.1f}' height='{}' rx='3' "
            "fill='{}'><title>{}</title></rect>",
            x(s), cy, w, row - 4, color, E(title));
      }
      body += fmt::format("<text x='{}' y='{}' class='cname'>{}</text>", label_width - 4, cy + 10,
                          E(Str(*c, "name")));
      cy += row;
    }
    y += height;
  }
  const int bottom = y;
  std::string axis;
  const double step = NiceStep(end);
  for (double t = 0; t <= end + 1e-9; t += step) {
    axis += fmt::format("<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#eceff1'/>",
                        x(t), top - 6, bottom);
    axis += fmt::format("<text x='{:.1f}' y='{}' class='axis'>{}</text>", x(t), bottom + 14,
                        AxisLabel(t));
  }
  // Job conditions and faults on the time axis.
  std::string marks;
  int mark_row = 0;
  if (report["job"].is_object()) {
    for (const auto& c : report["job"]["conditionHistory"]) {
      const double t = Num(c, "time");
      const std::string type = Str(c, "type");
      marks += fmt::format(
          "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='{3}' stroke-width='1.5'/>",
          x(t), 14, bottom, ConditionColor(type));
      marks += fmt::format("<text {} y='{}' class='mark' fill='{}'>{}={}<title>{}</title></text>",
                           label_at(t), 12 + 10 * (mark_row++ % 3), ConditionColor(type), E(type),
                           E(Str(c, "status")), E(Str(c, "message")));
    }
  }
  // Flyte phase changes, below the axis.
  if (report.contains("flyte") && report["flyte"].is_object()) {
    int flyte_row = 0;
    for (const auto& p : report["flyte"]["phases"]) {
      const double t = Num(p, "at");
      const std::string phase = Str(p, "phase");
      const std::string detail =
          p["error"].is_object() ? Str(p["error"], "code") : Str(p, "reason");
      marks += fmt::format(
          "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='{3}' stroke-dasharray='1 2'/>",
          x(t), 14, bottom, FlytePhaseColor(phase));
      marks +=
          fmt::format("<text {} y='{}' class='mark' fill='{}'>flyte#{} {}<title>{}</title></text>",
                      label_at(t), bottom + 48 + 10 * (flyte_row++ % 3), FlytePhaseColor(phase),
                      p.value("attempt", 0), E(phase), E(detail));
    }
  }
  for (const auto& f : report["faults"]) {
    for (const auto& fired : f["fired"]) {
      const double t = Num(fired, "time");
      marks += fmt::format(
          "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#d81b60' stroke-dasharray='4 "
          "3'/>",
          x(t), 14, bottom);
      marks += fmt::format(
          "<text {} y='{}' class='mark' fill='#d81b60'>⚡ {}<title>{} → {}</title></text>",
          label_at(t), bottom + 28 + 10 * (mark_row++ % 2), E(Str(f, "name")), E(Str(f, "action")),
          E(fired["targets"].dump()));
    }
  }
  const int height =
      bottom + 50 + (report.contains("flyte") && report["flyte"].is_object() ? 34 : 0);
  return fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' viewBox='0 0 {} {}'>"
      "<style>.lane{{font:600 12px sans-serif}}.sub{{font:10px sans-serif;fill:#607d8b}}"
      ".cname{{font:10px sans-serif;fill:#78909c;text-anchor:end}}.axis{{font:10px "
      "sans-serif;fill:#78909c;"
      "text-anchor:middle}}.mark{{font:10px sans-serif}}</style>{}{}{}</svg>",
      width, height, width, height, axis, body, marks);
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
    out += "<th>" + E(h) + "</th>";
  out += "</tr>";
  for (const auto& r : rows) {
    out += "<tr>";
    for (const auto& cell : r)
      out += "<td>" + cell + "</td>";
    out += "</tr>";
  }
  return out + "</table>";
}

std::string Section(const json& report) {
  const bool passed = report.value("passed", false);
  std::string out = "<section>";
  out += fmt::format("<h1>{} <span class='{}'>{}</span></h1>", E(Str(report, "name")),
                     passed ? "pass" : "fail", passed ? "PASS" : "FAIL");
  if (!Str(report, "description").empty()) out += "<p>" + E(Str(report, "description")) + "</p>";
  out += fmt::format(
      "<p class='meta'>{} · operator {} · seed {} · {:.3f}s virtual · {:.3f}s wall · outcome {} · "
      "ptsim {} · trace {}</p>",
      E(Str(report, "source")), E(Str(report, "operatorVersion")), report.value("seed", 0),
      Num(report, "virtualSeconds"), Num(report, "wallSeconds"), E(Str(report, "outcome")),
      E(Str(report, "ptsimVersion")), E(Str(report, "traceDigest")));
  out += "<h2>Timeline</h2>" + Legend() + TimelineSvg(report);

  // One condition table per job (a Flyte task's attempts are jobs of their own).
  const json jobs =
      report.contains("jobs") && report["jobs"].is_array()
          ? report["jobs"]
          : (report["job"].is_object() ? json::array({report["job"]}) : json::array());
  for (const auto& job : jobs) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : job["conditionHistory"]) {
      rows.push_back({fmt::format("{:.3f}s", Num(c, "time")), E(Str(c, "type")),
                      E(Str(c, "status")), E(Str(c, "reason")), E(Str(c, "message"))});
    }
    const std::string heading =
        jobs.size() > 1 ? "Job conditions: PyTorchJob " + E(Str(job, "name")) : "Job conditions";
    out +=
        "<h2>" + heading + "</h2>" + Table({"time", "type", "status", "reason", "message"}, rows);
  }
  if (report.contains("flyte")) out += FlyteHtmlSection(report["flyte"]);
  if (!report["expectations"].empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : report["expectations"]) {
      const bool ok = e["passed"].get<bool>();
      rows.push_back({ok ? "<span class='pass'>ok</span>" : "<span class='fail'>FAIL</span>",
                      E(Str(e, "description")), "<code>" + E(Plain(e["expected"])) + "</code>",
                      "<code>" + E(Plain(e["actual"])) + "</code>"});
    }
    out += "<h2>Expectations</h2>" + Table({"", "expectation", "want", "got"}, rows);
  }
  if (!report["notes"].empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& n : report["notes"]) {
      rows.push_back({fmt::format("{:.3f}s", Num(n, "time")), E(Str(n, "text")), E(Str(n, "ref"))});
    }
    out += "<h2>Notes</h2>" + Table({"time", "note", "reference"}, rows);
  }
  if (!report["faults"].empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : report["faults"]) {
      std::string fired;
      for (const auto& x : f["fired"])
        fired += fmt::format("{:.3f}s → {}<br>", Num(x, "time"), E(x["targets"].dump()));
      rows.push_back({E(Str(f, "name")), E(Str(f, "action")), E(Str(f, "target")),
                      E(Str(f, "trigger")), fired.empty() ? "never" : fired});
    }
    out += "<h2>Faults</h2>" + Table({"name", "action", "target", "trigger", "fired"}, rows);
  }
  {
    std::vector<std::vector<std::string>> rows;
    std::size_t n = 0;
    for (const auto& e : report["events"]) {
      if (++n > 500) break;
      rows.push_back({fmt::format("{:.3f}s", Num(e, "time")), E(Str(e, "type")),
                      E(Str(e, "reason")), E(Str(e, "object")), E(Str(e, "message")),
                      std::to_string(e.value("count", 1))});
    }
    out +=
        "<h2>Events</h2>" + Table({"time", "type", "reason", "object", "message", "count"}, rows);
    if (n > 500)
      out += fmt::format("<p class='meta'>… and {} more in the JSON report</p>",
                         report["events"].size() - 500);
  }
  return out + "</section>";
}

}  // namespace

std::string HtmlReport(const std::vector<json>& reports) {
  std::string title =
      reports.size() == 1 ? Str(reports[0], "name") : fmt::format("{} runs", reports.size());
  std::string out = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>";
  out += "<title>ptsim: " + E(title) + "</title><style>";
  out +=
      "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#263238}h1{margin:0 0 4px}"
      "h2{margin-top:28px;border-bottom:1px solid #eceff1}.pass{color:#2e7d32}.fail{color:#c62828}"
      "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #e0e0e0;padding:3px "
      "8px;"
      "text-align:left;vertical-align:top}th{background:#f5f5f5}.meta{color:#607d8b}"
      ".legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:12px;"
      "height:10px;margin-right:4px;border-radius:2px}code{font-size:12px}"
      "section+section{margin-top:48px;border-top:3px solid #cfd8dc;padding-top:16px}";
  out += "</style></head><body>";
  for (const auto& r : reports)
    out += Section(r);
  out += "</body></html>\n";
  return out;
}

}  // namespace ptsim
