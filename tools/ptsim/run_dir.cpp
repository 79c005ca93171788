#include "tools/ptsim/run_dir.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "sim/model/pytorchjob.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

constexpr char kRunMarker[] = ".ptsim-run";

// Fills controller and replica fields from the operator's labels.
void FromLabels(const nlohmann::json& labels, PodIncarnation* pod) {
  if (!labels.is_object()) return;
  auto label = [&](const char* key) -> std::string {
    auto it = labels.find(key);
    return it != labels.end() && it->is_string() ? it->get<std::string>() : "";
  };
  pod->replica_type = label(kReplicaTypeLabel);
  const std::string index = label(kReplicaIndexLabel);
  if (!index.empty() && std::all_of(index.begin(), index.end(), ::isdigit) && index.size() < 9)
    pod->replica_index = std::stoi(index);
  if (pod->controller.empty() && !label(kJobNameLabel).empty())
    pod->controller = "PyTorchJob/" + label(kJobNameLabel);
}

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

void FromReport(const nlohmann::json& report, std::vector<PodIncarnation>* pods) {
  if (!report.contains("pods") || !report["pods"].is_array()) return;
  int index = 0;
  for (const auto& p : report["pods"]) {
    PodIncarnation pod;
    pod.ns = Str(p, "namespace");
    pod.name = Str(p, "name");
    pod.uid = Str(p, "uid");
    if (p.contains("createdAt") && p["createdAt"].is_number())
      pod.created_at = p["createdAt"].get<double>();
    if (p.contains("ownerReferences") && p["ownerReferences"].is_array()) {
      for (const auto& o : p["ownerReferences"]) {
        if (o.value("controller", false)) pod.controller = Str(o, "kind") + "/" + Str(o, "name");
      }
    }
    FromLabels(p.value("labels", nlohmann::json::object()), &pod);
    pod.report_index = index++;
    pods->push_back(std::move(pod));
  }
}

// The journal's lines; a line being written (no newline yet) is skipped.
void FromJournal(const fs::path& path, std::vector<PodIncarnation>* pods) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // no newline: not written whole yet
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) continue;
    PodIncarnation pod;
    pod.ns = Str(j, "namespace");
    pod.name = Str(j, "name");
    pod.uid = Str(j, "uid");
    if (j.contains("createdAt") && j["createdAt"].is_number())
      pod.created_at = j["createdAt"].get<double>();
    if (j.contains("controller") && j["controller"].is_object())
      pod.controller = Str(j["controller"], "kind") + "/" + Str(j["controller"], "name");
    FromLabels(j.value("labels", nlohmann::json::object()), &pod);
    pods->push_back(std::move(pod));
  }
}

// Pod directories no record names (a runner older than the journal, or a
// directory made a moment before its journal line): last, by name.
void AddUnrecordedDirs(const fs::path& run, std::vector<PodIncarnation>* pods) {
  std::set<std::string> known;
  for (const auto& p : *pods)
    known.insert(p.uid);
  std::vector<PodIncarnation> extra;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(run / "pods", ec)) {
    const std::string dir = entry.path().filename().string();
    const auto first = dir.find('_');
    const auto last = dir.rfind('_');
    if (!entry.is_directory() || first == std::string::npos || last == first) continue;
    const std::string uid = dir.substr(last + 1);
    if (known.count(uid)) continue;
    PodIncarnation pod;
    pod.ns = dir.substr(0, first);
    pod.name = dir.substr(first + 1, last - first - 1);
    pod.uid = uid;
    extra.push_back(std::move(pod));
  }
  std::sort(extra.begin(), extra.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
  for (auto& p : extra)
    pods->push_back(std::move(p));
}

std::string RunsUnder(const fs::path& dir) {
  std::vector<std::string> runs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (fs::exists(entry.path() / kRunMarker)) runs.push_back(entry.path().filename().string());
  }
  std::sort(runs.begin(), runs.end());
  if (runs.empty()) return fmt::format("there are no runs in {}", dir.string());
  return fmt::format("runs in {}: {}", dir.string(), fmt::join(runs, ", "));
}

std::optional<RunDir> Load(const fs::path& path, std::string* error) {
  RunDir run;
  run.path = path;
  const fs::path report = path / "report.json";
  if (fs::exists(report)) {
    std::ifstream in(report);
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      *error = fmt::format("{} is not a ptsim report (it does not parse as a JSON object)",
                           report.string());
      return std::nullopt;
    }
    run.report = std::move(j);
    FromReport(*run.report, &run.pods);
  } else {
    FromJournal(path / "pods.jsonl", &run.pods);
  }
  AddUnrecordedDirs(path, &run.pods);
  for (auto& p : run.pods)
    p.dir = path / "pods" / fmt::format("{}_{}_{}", p.ns, p.name, p.uid);
  return run;
}

}  // namespace

const nlohmann::json* RunDir::ReportOf(const PodIncarnation& pod) const {
  if (!report || pod.report_index < 0) return nullptr;
  return &(*report)["pods"][static_cast<std::size_t>(pod.report_index)];
}

std::vector<const PodIncarnation*> RunDir::Named(const std::string& name) const {
  std::vector<const PodIncarnation*> out;
  for (const auto& p : pods) {
    if (p.name == name) out.push_back(&p);
  }
  return out;
}

std::vector<std::string> RunDir::Names() const {
  std::vector<std::string> out;
  for (const auto& p : pods) {
    if (std::find(out.begin(), out.end(), p.name) == out.end()) out.push_back(p.name);
  }
  return out;
}

std::string RunDir::ListNames() const {
  const auto names = Names();
  if (names.empty()) return "the run has no pods";
  std::map<std::string, int> count;
  for (const auto& p : pods)
    ++count[p.name];
  std::vector<std::string> items;
  for (const auto& n : names)
    items.push_back(count[n] > 1 ? fmt::format("{} ({} incarnations)", n, count[n]) : n);
  return fmt::format("pods in the run: {}", fmt::join(items, ", "));
}

std::optional<RunDir> OpenRun(const std::string& run, const std::string& runs_dir,
                              std::string* error) {
  std::error_code ec;
  fs::path path = run;
  auto is_run = [&](const fs::path& p) {
    return fs::is_directory(p, ec) &&
           (fs::exists(p / kRunMarker, ec) || fs::exists(p / "report.json", ec) ||
            fs::is_directory(p / "pods", ec));
  };
  if (!is_run(path)) path = fs::path(runs_dir) / run;
  if (!is_run(path)) {
    *error = fmt::format(
        "no run at \"{}\" (looked in {} too): give a run directory or the name of a run under "
        "--runs-dir; {}",
        run, (fs::path(runs_dir) / run).string(), RunsUnder(runs_dir));
    return std::nullopt;
  }
  return Load(path, error);
}

std::optional<RunDir> Reopen(const RunDir& run, std::string* error) {
  return Load(run.path, error);
}

const nlohmann::json* RequireReport(const RunDir& run, const std::string& command,
                                    std::string* error) {
  if (run.report) return &*run.report;
  *error = fmt::format(
      "{} has no report.json yet: the run is still going (or was killed before it ended); "
      "ptsim {} reads the report a run writes when it ends; `ptsim logs {} POD -f` follows a "
      "run that is still going",
      run.path.string(), command, run.path.string());
  return nullptr;
}

}  // namespace ptsim::cli
