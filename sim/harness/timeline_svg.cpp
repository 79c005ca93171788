#include "sim/harness/timeline_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <vector>

#include "sim/harness/flyte_report.hpp"
#include "sim/harness/pod_rows.hpp"
#include "sim/harness/report_fields.hpp"
#include "sim/harness/report_junit.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

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

constexpr int kLabelWidth = 230;
constexpr int kWidth = 1100;
constexpr double kPlot = kWidth - kLabelWidth - 110;  // room for labels at the right end
constexpr double kCharWidth = 5.6;                    // 10px sans-serif, roughly

// Labels of marks laid out in rows: each goes to the first row where it does
// not overlap the previous label, or is left out when every row is taken.
class LabelRows {
 public:
  LabelRows(int rows, int first_y, int step) : ends_(rows, -1e9), first_y_(first_y), step_(step) {}
  // The x attributes and y of a label for a mark at `px`, or "" when no row is free.
  std::string Place(double px, const std::string& text) {
    const double w = static_cast<double>(text.size()) * kCharWidth;
    const bool left = px + 2 + w > kWidth - 4;  // near the right edge: end at the line
    const double x0 = left ? px - 2 - w : px + 2;
    for (std::size_t r = 0; r < ends_.size(); ++r) {
      if (x0 < ends_[r] + 6) continue;
      ends_[r] = x0 + w;
      const int y = first_y_ + step_ * static_cast<int>(r);
      return left ? fmt::format("x='{:.1f}' y='{}' text-anchor='end'", px - 2, y)
                  : fmt::format("x='{:.1f}' y='{}'", px + 2, y);
    }
    return "";
  }

 private:
  std::vector<double> ends_;
  int first_y_;
  int step_;
};

struct Lane {
  std::string name;
  std::vector<const json*> pods;  // the incarnations, oldest first
};

std::vector<Lane> Lanes(const json& report) {
  std::vector<Lane> lanes;
  std::map<std::string, std::size_t> by_name;
  for (const auto& p : Field(report, "pods")) {
    const std::string key = StringField(p, "namespace") + "/" + StringField(p, "name");
    auto [it, inserted] = by_name.try_emplace(key, lanes.size());
    if (inserted) lanes.push_back({StringField(p, "name"), {}});
    lanes[it->second].pods.push_back(&p);
  }
  return lanes;
}

}  // namespace

std::pair<const char*, const char*> RunStyle(const json& run) {
  if (run.value("terminatedByPtsim", false)) return {"#9e9e9e", "still running at the end"};
  if (Field(run, "finishedAt").is_null()) return {"#1e88e5", "running"};
  const std::string reason = StringField(run, "reason");
  if (reason == "Completed") return {"#43a047", "Completed (exit 0)"};
  if (reason == "OOMKilled") return {"#8e24aa", "OOMKilled"};
  if (reason == "StartError") return {"#6d4c41", "StartError"};
  if (Field(run, "signal").is_number()) return {"#fb8c00", "killed by a signal"};
  return {"#e53935", "Error (exit code)"};
}

std::string LogHref(const std::string& log, const std::string& html_dir) {
  namespace fs = std::filesystem;
  std::string path = log;
  if (!html_dir.empty()) {
    std::error_code ec;
    const fs::path from = fs::absolute(html_dir, ec).lexically_normal();
    const fs::path to = fs::absolute(log, ec).lexically_normal();
    const fs::path rel = to.lexically_relative(from);
    if (!ec && !rel.empty()) path = rel.generic_string();
  }
  std::string out;
  for (unsigned char ch : path) {
    if (std::isalnum(ch) || ch == '/' || ch == '.' || ch == '-' || ch == '_' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  return out;
}

namespace {

// Virtual time to x.
class TimeScale {
 public:
  explicit TimeScale(double end) : end_(end) {}
  double end() const { return end_; }
  double X(double t) const { return kLabelWidth + kPlot * std::clamp(t / end_, 0.0, 1.0); }

 private:
  double end_;
};

constexpr int kRow = 16;
constexpr int kTop = 48;

// The lane's container names, one row each: init containers first, as its
// pods have them.
std::vector<std::string> ContainerNames(const Lane& lane) {
  std::vector<std::string> names;
  for (const json* p : lane.pods) {
    for (const char* list : {"initContainers", "containers"}) {
      for (const auto& c : Field(*p, list)) {
        if (std::find(names.begin(), names.end(), StringField(c, "name")) == names.end())
          names.push_back(StringField(c, "name"));
      }
    }
  }
  return names;
}

// One container run: a bar, its tooltip, and a link to its log.
std::string RunBar(const json& pod, const json& container, const json& run, const TimeScale& sc,
                   int y, const TimelineSvgOptions& options) {
  const double s = NumberField(run, "startedAt");
  const bool running = Field(run, "finishedAt").is_null();
  const double f = running ? sc.end() : NumberField(run, "finishedAt");
  auto [color, label] = RunStyle(run);
  std::string title = fmt::format("{}/{} #{}: {:.3f}s → {}", StringField(pod, "name"),
                                  StringField(container, "name"), run.value("restartCount", 0), s,
                                  running ? std::string("end") : fmt::format("{:.3f}s", f));
  if (Field(run, "exitCode").is_number())
    title += fmt::format(", exit code {}", run["exitCode"].get<int>());
  if (!StringField(run, "reason").empty()) title += " (" + StringField(run, "reason") + ")";
  title += std::string(" — ") + label;
  const std::string log = StringField(run, "log");
  const std::string bar = fmt::format(
      "<rect x='{:.1f}' y='{}' width='{:.1f}' height='{}' rx='3' fill='{}'>"
      "<title>{}</title></rect>",
      sc.X(s), y, std::max(2.0, sc.X(f) - sc.X(s)), kRow - 4, color,
      XmlEscape(title + (log.empty() ? "" : " · click for its log")));
  if (log.empty()) return bar;
  return fmt::format("<a href='{}'>{}</a>", XmlEscape(LogHref(log, options.html_dir)), bar);
}

// One incarnation of a lane's pod: its life line, its creation mark when the
// lane has several, and the bars of its container runs.
std::string PodIncarnation(const Lane& lane, std::size_t pi, const std::vector<std::string>& names,
                           const TimeScale& sc, int y, int height,
                           const TimelineSvgOptions& options) {
  const json& p = *lane.pods[pi];
  const double created = NumberField(p, "createdAt");
  const double gone = Field(p, "deletedAt").is_null() ? sc.end() : NumberField(p, "deletedAt");
  std::string out = fmt::format(
      "<line x1='{:.1f}' x2='{:.1f}' y1='{}' y2='{}' stroke='#cfd8dc' stroke-width='2'/>",
      sc.X(created), sc.X(gone), y + height / 2, y + height / 2);
  if (lane.pods.size() > 1) {
    out += fmt::format(
        "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#90a4ae' "
        "stroke-dasharray='2 2'><title>{3} #{4} created at {5:.3f}s (uid {6})</title></line>",
        sc.X(created), y + 1, y + height - 1, XmlEscape(lane.name), pi + 1, created,
        XmlEscape(StringField(p, "uid")));
  }
  for (const char* list : {"initContainers", "containers"}) {
    for (const auto& c : Field(p, list)) {
      const auto k = static_cast<int>(
          std::find(names.begin(), names.end(), StringField(c, "name")) - names.begin());
      for (const auto& run : Field(c, "runs"))
        out += RunBar(p, c, run, sc, y + 4 + kRow * k, options);
    }
  }
  return out;
}

// The pods, one lane per pod name (every incarnation in it), from `kTop` down;
// `*bottom` is where the last lane ends.
std::string PodLanes(const json& report, const TimeScale& sc, const TimelineSvgOptions& options,
                     int* bottom) {
  int y = kTop;
  std::string body;
  const std::vector<PodRow> rows = PodRows(report);
  const std::vector<Lane> lanes = Lanes(report);
  for (std::size_t li = 0; li < lanes.size(); ++li) {
    const Lane& lane = lanes[li];
    const json& newest = *lane.pods.back();
    const std::vector<std::string> names = ContainerNames(lane);
    const int height = std::max<int>(34, static_cast<int>(names.size()) * kRow + 8);
    body += fmt::format("<rect x='0' y='{}' width='{}' height='{}' fill='{}'/>", y, kWidth, height,
                        li % 2 == 0 ? "#fafafa" : "#ffffff");
    const std::string status = li < rows.size() ? rows[li].status : StringField(newest, "phase");
    const bool several = lane.pods.size() > 1;
    body += fmt::format(
        "<text x='6' y='{}' class='lane'>{}</text>", y + 13,
        XmlEscape(several ? fmt::format("{} (x{})", lane.name, lane.pods.size()) : lane.name));
    body += fmt::format("<text x='6' y='{}' class='sub'>{} · {}</text>", y + 25, XmlEscape(status),
                        XmlEscape(several ? fmt::format("{} uids", lane.pods.size())
                                          : StringField(newest, "uid").substr(0, 8)));
    for (std::size_t k = 0; k < names.size(); ++k) {
      body += fmt::format("<text x='{}' y='{}' class='cname'>{}</text>", kLabelWidth - 4,
                          y + 4 + kRow * static_cast<int>(k) + 10, XmlEscape(names[k]));
    }
    for (std::size_t pi = 0; pi < lane.pods.size(); ++pi)
      body += PodIncarnation(lane, pi, names, sc, y, height, options);
    y += height;
  }
  *bottom = y;
  return body;
}

std::string TimeAxis(const TimeScale& sc, int bottom) {
  std::string axis;
  const double step = NiceStep(sc.end());
  for (double t = 0; t <= sc.end() + 1e-9; t += step) {
    axis += fmt::format("<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#eceff1'/>",
                        sc.X(t), kTop - 6, bottom);
    axis += fmt::format("<text x='{:.1f}' y='{}' class='axis'>{}</text>", sc.X(t), bottom + 14,
                        AxisLabel(t));
  }
  return axis;
}

// Job conditions above the lanes: a line per change into `marks`, a label
// per condition the first time it appears (with its count when it repeats)
// into `labels`.
void ConditionMarks(const json& report, const TimeScale& sc, int bottom, std::string* marks,
                    std::string* labels) {
  LabelRows above(3, 12, 10);
  const json jobs =
      report.contains("jobs") && report["jobs"].is_array()
          ? report["jobs"]
          : (Field(report, "job").is_object() ? json::array({report["job"]}) : json());
  for (const auto& job : jobs) {
    std::map<std::string, int> occurrences;
    for (const auto& c : Field(job, "conditionHistory"))
      ++occurrences[StringField(c, "type") + "=" + StringField(c, "status")];
    std::map<std::string, bool> labelled;
    for (const auto& c : Field(job, "conditionHistory")) {
      const double t = NumberField(c, "time");
      const std::string type = StringField(c, "type");
      const std::string key = type + "=" + StringField(c, "status");
      *marks += fmt::format(
          "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='{3}' stroke-width='1.5'>"
          "<title>{4:.3f}s {5}: {6}</title></line>",
          sc.X(t), 14, bottom, ConditionColor(type), t, XmlEscape(key),
          XmlEscape(StringField(c, "message")));
      if (labelled[key]) continue;
      const int n = occurrences[key];
      const std::string text = n > 1 ? fmt::format("{} ×{}", key, n) : key;
      const std::string at = above.Place(sc.X(t), text);
      if (at.empty()) continue;
      labelled[key] = true;
      *labels +=
          fmt::format("<text {} class='mark' fill='{}'>{}<title>{}</title></text>", at,
                      ConditionColor(type), XmlEscape(text), XmlEscape(StringField(c, "message")));
    }
  }
}

// Below the axis, first row: the faults as they fired.
std::string FaultMarks(const json& report, const TimeScale& sc, int bottom) {
  std::string marks;
  LabelRows row(2, bottom + 28, 10);
  for (const auto& f : Field(report, "faults")) {
    for (const auto& fired : Field(f, "fired")) {
      const double t = NumberField(fired, "time");
      marks += fmt::format(
          "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#d81b60' "
          "stroke-dasharray='4 3'/>",
          sc.X(t), 14, bottom);
      const std::string text = "⚡ " + StringField(f, "name");
      const std::string at = row.Place(sc.X(t), text);
      if (at.empty()) continue;
      marks += fmt::format("<text {} class='mark' fill='#d81b60'>{}<title>{} → {}</title></text>",
                           at, XmlEscape(text), XmlEscape(StringField(f, "action")),
                           XmlEscape(Field(fired, "targets").dump()));
    }
  }
  return marks;
}

// Below the faults: the run's notes, each linking to its text.
std::string NoteMarks(const json& report, const TimeScale& sc, int bottom,
                      const TimelineSvgOptions& options) {
  std::string marks;
  LabelRows row(2, bottom + 52, 10);
  int number = 0;
  for (const auto& n : Field(report, "notes")) {
    ++number;
    const double t = NumberField(n, "time");
    const std::string text = fmt::format("✎ note {}", number);
    marks += fmt::format(
        "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#00897b' "
        "stroke-dasharray='1 3'/>",
        sc.X(t), bottom, bottom + 40);
    const std::string at = row.Place(sc.X(t), text);
    if (at.empty()) continue;
    marks += fmt::format(
        "<a href='#{}-note-{}'><text {} class='mark' fill='#00897b'>{}<title>{:.3f}s: "
        "{}</title></text></a>",
        XmlEscape(options.anchor), number, at, XmlEscape(text), t,
        XmlEscape(StringField(n, "text")));
  }
  return marks;
}

// Below the notes: the Flyte task's phases, when the run has one.
std::string FlyteMarks(const json& flyte, const TimeScale& sc, int bottom) {
  std::string marks;
  LabelRows row(3, bottom + 76, 10);
  for (const auto& p : Field(flyte, "phases")) {
    const double t = NumberField(p, "at");
    const std::string phase = StringField(p, "phase");
    const std::string detail =
        Field(p, "error").is_object() ? StringField(p["error"], "code") : StringField(p, "reason");
    marks += fmt::format(
        "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='{3}' stroke-dasharray='1 2'/>",
        sc.X(t), 14, bottom, FlytePhaseColor(phase));
    const std::string text = fmt::format("flyte#{} {}", p.value("attempt", 0), phase);
    const std::string at = row.Place(sc.X(t), text);
    if (at.empty()) continue;
    marks += fmt::format("<text {} class='mark' fill='{}'>{}<title>{}</title></text>", at,
                         FlytePhaseColor(phase), XmlEscape(text), XmlEscape(detail));
  }
  return marks;
}

}  // namespace

std::string TimelineSvg(const json& report, const TimelineSvgOptions& options) {
  const TimeScale sc(std::max(NumberField(report, "virtualSeconds"), 1e-3));
  int bottom = kTop;
  const std::string lanes = PodLanes(report, sc, options, &bottom);
  std::string marks;
  std::string labels;  // drawn last, over every line
  ConditionMarks(report, sc, bottom, &marks, &labels);
  marks += FaultMarks(report, sc, bottom);
  marks += NoteMarks(report, sc, bottom, options);
  const bool has_flyte = Field(report, "flyte").is_object();
  if (has_flyte) marks += FlyteMarks(report["flyte"], sc, bottom);
  const int height = bottom + 74 + (has_flyte ? 34 : 0);
  return fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' viewBox='0 0 {} {}'>"
      "<style>.lane{{font:600 12px sans-serif}}.sub{{font:10px sans-serif;fill:#607d8b}}"
      ".cname{{font:10px sans-serif;fill:#78909c;text-anchor:end}}.axis{{font:10px "
      "sans-serif;fill:#78909c;text-anchor:middle}}.mark{{font:10px "
      "sans-serif;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}}</style>"
      "{}{}{}{}</svg>",
      kWidth, height, kWidth, height, TimeAxis(sc, bottom), lanes, marks, labels);
}

}  // namespace ptsim
