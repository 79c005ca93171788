#include "sim/harness/pod_rows.hpp"

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "sim/harness/pod_status_text.hpp"
#include "sim/harness/summary_text.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

double Seconds(const json& j, const char* key, double fallback) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

std::string Age(double seconds) {
  return HumanDuration(
      std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds)));
}

// Whether ptsim stopped one of the pod's containers at the end of the run:
// marked so in the report, or alive when the run was interrupted.
bool EndedByPtsim(const json& pod, std::optional<double> interrupted_at) {
  for (const char* list : {"initContainers", "containers"}) {
    if (!pod.contains(list)) continue;
    for (const auto& c : pod[list]) {
      for (const auto& run : c.value("runs", json::array())) {
        if (run.value("terminatedByPtsim", false)) return true;
        if (!interrupted_at) continue;
        const double started = Seconds(run, "startedAt", 0);
        const double finished = Seconds(run, "finishedAt", *interrupted_at);
        if (started <= *interrupted_at && finished >= *interrupted_at) return true;
      }
    }
  }
  return false;
}

std::string ExitOf(const json& pod) {
  if (!pod.contains("containers")) return "-";
  for (const auto& c : pod["containers"]) {
    const json runs = c.value("runs", json::array());
    if (runs.empty() || !runs.back().value("exitCode", json()).is_number()) continue;
    return std::to_string(runs.back()["exitCode"].get<int>());
  }
  return "-";
}

}  // namespace

std::optional<double> InterruptedAt(const json& report) {
  if (report.value("outcome", "") != "interrupted" || !report.contains("notes")) return {};
  for (const auto& n : report["notes"]) {
    if (n.value("text", "").rfind("interrupted by ", 0) == 0) return Seconds(n, "time", 0);
  }
  return {};
}

std::vector<PodRow> PodRows(const json& report) {
  const double end = Seconds(report, "virtualSeconds", 0);
  const auto interrupted_at = InterruptedAt(report);
  std::vector<PodRow> rows;
  std::map<std::string, std::size_t> by_name;
  if (!report.contains("pods")) return rows;
  for (const auto& pod : report["pods"]) {
    const std::string ns = pod.value("namespace", "default");
    std::string name = pod.value("name", "");
    if (ns != "default" && !ns.empty()) name = ns + "/" + name;
    auto [it, inserted] = by_name.try_emplace(name, rows.size());
    if (inserted) {
      rows.emplace_back();
      rows.back().name = name;
      rows.back().incarnations = 0;
    }
    PodRow& row = rows[it->second];
    ++row.incarnations;
    row.newest = &pod;
  }
  for (PodRow& row : rows) {
    const json& pod = *row.newest;
    const KubectlPodColumns k = KubectlPodRow(pod);
    if (pod.contains("deletedAt") && pod["deletedAt"].is_number())
      row.deleted_at = pod["deletedAt"].get<double>();
    const double now = row.deleted_at.value_or(end);
    row.ready = k.ready;
    row.status = k.status;
    row.restarts = RestartsText(k, now);
    row.age = Age(now - Seconds(pod, "createdAt", 0));
    row.exit = ExitOf(pod);
    row.ended_by_ptsim = EndedByPtsim(pod, interrupted_at);
    if (row.ended_by_ptsim) {
      row.status = kTerminatedAtRunEnd;
      row.exit = "-";
    }
  }
  return rows;
}

std::string PodRowLabel(const PodRow& row) {
  return row.incarnations > 1 ? fmt::format("{} (x{})", row.name, row.incarnations) : row.name;
}

}  // namespace ptsim
