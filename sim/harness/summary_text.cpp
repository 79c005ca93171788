#include "sim/harness/summary_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sim/harness/pod_rows.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

std::string Key(const json& c) {
  return StringField(c, "type") + "=" + StringField(c, "status") + " " + StringField(c, "reason");
}
Time AtSeconds(double s) {
  return kRunStart + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::string HumanDuration(Duration d) {
  // k8s.io/apimachinery/pkg/util/duration.HumanDuration
  const std::int64_t s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s < 0) return "<invalid>";
  if (s < 120) return fmt::format("{}s", s);
  const std::int64_t m = s / 60;
  if (m < 10) return s % 60 == 0 ? fmt::format("{}m", m) : fmt::format("{}m{}s", m, s % 60);
  if (m < 180) return fmt::format("{}m", m);
  const std::int64_t h = m / 60;
  if (h < 8) return m % 60 == 0 ? fmt::format("{}h", h) : fmt::format("{}h{}m", h, m % 60);
  if (h < 48) return fmt::format("{}h", h);
  const std::int64_t days = h / 24;
  if (h < 24 * 8)
    return h % 24 == 0 ? fmt::format("{}d", days) : fmt::format("{}d{}h", days, h % 24);
  return fmt::format("{}d", days);
}

std::string RepeatSuffix(int count, double first_time, double last_time) {
  if (count <= 1) return "";
  return fmt::format(" (x{} over {})", count,
                     HumanDuration(std::chrono::duration_cast<Duration>(
                         std::chrono::duration<double>(last_time - first_time))));
}

std::vector<ConditionGroup> FoldConditionHistory(const json& history) {
  std::vector<ConditionGroup> groups;
  for (const auto& c : history) {
    bool joined = false;
    for (std::size_t back = 1; back <= 2 && back <= groups.size() && !joined; ++back) {
      ConditionGroup& g = groups[groups.size() - back];
      if (Key(g.first) != Key(c)) continue;
      ++g.count;
      g.last_time = NumberField(c, "time");
      g.last_message = StringField(c, "message");
      joined = true;
    }
    if (joined) continue;
    groups.push_back({c, 1, NumberField(c, "time"), StringField(c, "message")});
  }
  return groups;
}

std::string JobKindField(const json& job) {
  const std::string kind = StringField(job, "kind");
  return kind.empty() ? "PyTorchJob" : kind;
}

std::string ConditionHistoryText(const json& report) {
  std::string out;
  if (!report.contains("jobs")) return out;
  for (const auto& job : report["jobs"]) {
    out += fmt::format("{} {}/{}:\n", JobKindField(job), StringField(job, "namespace"),
                       StringField(job, "name"));
    for (const auto& g : FoldConditionHistory(job.value("conditionHistory", json::array()))) {
      const json& c = g.first;
      const double t = NumberField(c, "time");
      out += fmt::format("  {}  {:<10} {:<5} {:<22} {}{}\n", FormatTimestamp(AtSeconds(t)),
                         StringField(c, "type"), StringField(c, "status"), StringField(c, "reason"),
                         g.last_message, RepeatSuffix(g.count, t, g.last_time));
    }
    if (job.contains("deletedAt") && job["deletedAt"].is_number())
      out +=
          fmt::format("  {}  deleted\n", FormatTimestamp(AtSeconds(NumberField(job, "deletedAt"))));
  }
  return out;
}

std::string PodTable(const json& report) {
  const std::vector<PodRow> pods = PodRows(report);
  if (pods.empty()) return "";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"NAME", "READY", "STATUS", "RESTARTS", "AGE", "EXIT", "DELETED"});
  bool ended_by_ptsim = false;
  bool collapsed = false;
  for (const auto& r : pods) {
    ended_by_ptsim = ended_by_ptsim || r.ended_by_ptsim;
    collapsed = collapsed || r.incarnations > 1;
    rows.push_back({PodRowLabel(r), r.ready, r.status, r.restarts, r.age, r.exit,
                    r.deleted_at ? fmt::format("{:.3f}s", *r.deleted_at) : "-"});
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 3, ' ');
    }
    out += line + "\n";
  }
  if (collapsed) {
    out +=
        "(xN): N pods of that name were created, each with a new uid; the row shows the newest "
        "(report.json lists every one)\n";
  }
  if (ended_by_ptsim) {
    out += std::string(kTerminatedAtRunEnd) +
           ": still running when the run ended; ptsim stopped it (kubectl would still have "
           "listed it as it was)\n";
  }
  return out;
}

}  // namespace ptsim
