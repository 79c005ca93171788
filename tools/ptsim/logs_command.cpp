#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "fakes/process/container_log.hpp"
#include "tools/ptsim/commands.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;

// Mirrors `kubectl logs POD [-c CONTAINER] [--previous]` over a run directory:
// <run>/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log
int Logs(const LogsOptions& options) {
  fs::path run = options.run;
  if (!fs::is_directory(run)) run = fs::path(options.runs_dir) / options.run;
  if (!fs::is_directory(run / "pods")) {
    std::cerr << fmt::format(
        "ptsim logs: no run at \"{}\" (looked in {} too); give a run directory "
        "or the name of a run under {}\n",
        options.run, (fs::path(options.runs_dir) / options.run).string(), options.runs_dir);
    return 2;
  }
  // The newest pod directory with this name (a recreated pod has a new uid).
  fs::path pod_dir;
  fs::file_time_type newest{};
  for (const auto& entry : fs::directory_iterator(run / "pods")) {
    const std::string dir = entry.path().filename().string();
    const auto first = dir.find('_');
    const auto last = dir.rfind('_');
    if (first == std::string::npos || last == first) continue;
    if (dir.substr(first + 1, last - first - 1) != options.pod) continue;
    const auto t = fs::last_write_time(entry.path());
    if (pod_dir.empty() || t > newest) {
      pod_dir = entry.path();
      newest = t;
    }
  }
  if (pod_dir.empty()) {
    std::cerr << fmt::format("ptsim logs: pod \"{}\" not found in {}\n", options.pod, run.string());
    return 2;
  }
  std::vector<std::string> containers;
  for (const auto& entry : fs::directory_iterator(pod_dir)) {
    if (entry.is_directory() && entry.path().filename() != "volumes") {
      containers.push_back(entry.path().filename().string());
    }
  }
  std::sort(containers.begin(), containers.end());
  std::string container = options.container;
  if (container.empty()) {
    if (containers.size() != 1) {
      std::string list;
      for (const auto& c : containers)
        list += (list.empty() ? "" : " ") + c;
      std::cerr << fmt::format(
          "ptsim logs: a container name must be specified for pod {}, choose one of: [{}]\n",
          options.pod, list);
      return 2;
    }
    container = containers[0];
  }
  int latest = -1;
  if (fs::is_directory(pod_dir / container)) {
    for (const auto& entry : fs::directory_iterator(pod_dir / container)) {
      if (entry.path().extension() == ".log")
        latest = std::max(latest, std::stoi(entry.path().stem().string()));
    }
  }
  if (latest < 0) {
    std::cerr << fmt::format("ptsim logs: container \"{}\" in pod \"{}\" has no logs\n", container,
                             options.pod);
    return 2;
  }
  const int incarnation = options.previous ? latest - 1 : latest;
  if (incarnation < 0) {
    std::cerr << fmt::format(
        "ptsim logs: previous terminated container \"{}\" in pod \"{}\" not found\n", container,
        options.pod);
    return 2;
  }
  // As `kubectl logs`, only the current file of a rotated log (the kubelet
  // serves ReadLogs from the container's log path); the rotated files stay
  // next to it, as on a node.
  const fs::path path = pod_dir / container / fmt::format("{}.log", incarnation);
  const auto kept = KeptLogFiles(path.string());
  if (kept.size() > 1) {
    std::cerr << fmt::format(
        "ptsim logs: the log was rotated; earlier output is in {} (the oldest first), or "
        "was deleted past --container-log-max-files\n",
        fmt::join(kept.begin(), kept.end() - 1, " "));
  }
  std::ifstream in(path);
  std::cout << in.rdbuf();
  return 0;
}

}  // namespace ptsim::cli
