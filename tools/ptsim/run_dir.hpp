// A run directory as `ptsim logs`, `describe` and `events` read it: its
// report.json when the run has finished, and every pod object it created,
// oldest first, with the directory that holds its containers' logs
// (<run>/pods/<namespace>_<name>_<uid>/<container>/<restartCount>.log). The
// order comes from report.json's `pods`, or, while the run is still being
// written by another ptsim, from its pod journal (<run>/pods.jsonl); never
// from file times. Read-only; not thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ptsim::cli {

// One pod object: a recreated pod (same name, new uid) is another incarnation.
struct PodIncarnation {
  std::string ns;
  std::string name;
  std::string uid;
  double created_at = -1;     // virtual seconds; -1 when unknown
  std::string controller;     // "PyTorchJob/mnist", or ""
  std::string replica_type;   // "master", "worker" (the label's value), or ""
  int replica_index = -1;     // -1 when unlabelled
  std::filesystem::path dir;  // may not exist (no container started yet)
  int report_index = -1;      // its index in report.json's pods, -1 when none
};

struct RunDir {
  std::filesystem::path path;
  std::optional<nlohmann::json> report;  // set once the run has finished
  std::vector<PodIncarnation> pods;      // oldest first

  // The report's entry for `pod`, or null (no report, or not in it).
  const nlohmann::json* ReportOf(const PodIncarnation& pod) const;

  // The incarnations of pod `name`, oldest first (empty when none).
  std::vector<const PodIncarnation*> Named(const std::string& name) const;
  // Every pod name, in order of first creation.
  std::vector<std::string> Names() const;
  // "a, b and c (3 pods)": what exists, for error messages.
  std::string ListNames() const;
};

// RUN is a run directory or the name of one under `runs_dir`. Returns nullopt
// with `error` set (naming where it looked and the runs there) when there is
// no run, or when its report.json cannot be parsed.
std::optional<RunDir> OpenRun(const std::string& run, const std::string& runs_dir,
                              std::string* error);

// Reads the run again (for following a run that is still being written).
std::optional<RunDir> Reopen(const RunDir& run, std::string* error);

// The report when the run has finished, else nullopt with `error` set
// ("the run ... is still going" or "has no report.json").
const nlohmann::json* RequireReport(const RunDir& run, const std::string& command,
                                    std::string* error);

}  // namespace ptsim::cli
