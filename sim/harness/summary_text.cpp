#include "sim/harness/summary_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace ptsim {

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

std::string PodTable(const RunRecorder& recorder, Time end) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"NAME", "PHASE", "RESTARTS", "EXIT", "AGE"});
  for (const auto& uid : recorder.pod_order()) {
    const PodRecord& r = recorder.pods().at(uid);
    const Pod& pod = *r.pod;
    int restarts = 0;
    for (const auto& s : pod.status.container_statuses)
      restarts += s.restart_count;
    for (const auto& s : pod.status.init_container_statuses)
      restarts += s.restart_count;
    std::string exit = "-";
    for (const auto& c : r.containers) {
      if (c.init || c.runs.empty() || !c.runs.back().exit_code) continue;
      exit = std::to_string(*c.runs.back().exit_code);
      break;
    }
    std::string phase = pod.status.phase;
    if (r.deleted_at) phase += " (deleted)";
    const Time until = r.deleted_at.value_or(end);
    rows.push_back({pod.metadata.name, phase, std::to_string(restarts), exit,
                    HumanDuration(until - pod.metadata.creation_timestamp)});
  }
  std::vector<std::size_t> width(5, 0);
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
  return out;
}

}  // namespace ptsim
