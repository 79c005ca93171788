// The pod table of the reports (end-of-run text and HTML), one row per pod
// name: the pods of a name recreated with a new uid (restartPolicy ExitCode,
// OnFailure after a deletion, backoff) collapse into one row with their count,
// showing the newest incarnation as `kubectl get pods` would
// (pod_status_text.hpp), at the moment it was deleted or the run ended.
// Containers that ptsim itself stopped when the run ended (still running when
// the run finished, timed out or was interrupted) show STATUS
// `Terminated (run end)` instead of what kubectl would have shown of them.
// Pure functions of the JSON report (docs/report.md); any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ptsim {

inline constexpr const char* kTerminatedAtRunEnd = "Terminated (run end)";

struct PodRow {
  std::string name;  // "ns/name" outside the default namespace
  int incarnations = 1;
  const nlohmann::json* newest = nullptr;  // the newest pod of the name, in the report
  std::string ready;
  std::string status;
  std::string restarts;
  std::string age;
  std::string exit;                  // the newest app container run's exit code, or "-"
  std::optional<double> deleted_at;  // when the newest left the API server
  bool ended_by_ptsim = false;
};

// Rows in the order the names first appeared. `report` must outlive them.
std::vector<PodRow> PodRows(const nlohmann::json& report);

// "job-worker-0" or "job-worker-0 (x30)".
std::string PodRowLabel(const PodRow& row);

// When the run was interrupted, the moment it was (its "interrupted by" note).
std::optional<double> InterruptedAt(const nlohmann::json& report);

}  // namespace ptsim
