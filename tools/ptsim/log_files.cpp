#include "tools/ptsim/log_files.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "sim/core/spelling.hpp"
#include "tools/ptsim/kube_text.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

// "1 (uid 5f0c…, created at 0.0s), 2 (…)": a name's incarnations.
// Lists at most the first three and the last three incarnations, so that a
// pod recreated hundreds of times still gets a readable message.
std::string ListIncarnations(const std::vector<const PodIncarnation*>& pods) {
  constexpr std::size_t kEachEnd = 3;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < pods.size(); ++i) {
    if (pods.size() > 2 * kEachEnd && i == kEachEnd) {
      items.push_back(fmt::format("... ({} more)", pods.size() - 2 * kEachEnd));
      i = pods.size() - kEachEnd - 1;
      continue;
    }
    const auto& p = *pods[i];
    items.push_back(p.created_at >= 0
                        ? fmt::format("{} (uid {}, created at {:.3f}s)", i + 1, p.uid, p.created_at)
                        : fmt::format("{} (uid {})", i + 1, p.uid));
  }
  return fmt::format("{}", fmt::join(items, ", "));
}

// The report's entry for a container of a pod, or null.
const nlohmann::json* ReportContainer(const RunDir& run, const PodIncarnation& pod,
                                      const std::string& container) {
  const nlohmann::json* p = run.ReportOf(pod);
  if (!p) return nullptr;
  for (const char* list : {"initContainers", "containers"}) {
    if (!p->contains(list)) continue;
    for (const auto& c : (*p)[list]) {
      if (Str(c, "name") == container) return &c;
    }
  }
  return nullptr;
}

}  // namespace

bool ContainerNames::Has(const std::string& name) const {
  return std::find(app.begin(), app.end(), name) != app.end() ||
         std::find(init.begin(), init.end(), name) != init.end();
}

std::string ContainerNames::All() const {
  std::vector<std::string> items = app;
  for (const auto& c : init)
    items.push_back(c + " (init)");
  return fmt::format("{}", fmt::join(items, ", "));
}

ContainerNames ContainersOf(const RunDir& run, const PodIncarnation& pod) {
  ContainerNames names;
  if (const nlohmann::json* p = run.ReportOf(pod)) {
    for (const auto& c : p->value("initContainers", nlohmann::json::array()))
      names.init.push_back(Str(c, "name"));
    for (const auto& c : p->value("containers", nlohmann::json::array()))
      names.app.push_back(Str(c, "name"));
    return names;
  }
  // While the run goes: the directories (an init container's name is not
  // told apart; the operator's is init-pytorch).
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(pod.dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name == "volumes") continue;
    (name.starts_with("init-") ? names.init : names.app).push_back(name);
  }
  std::sort(names.init.begin(), names.init.end());
  std::sort(names.app.begin(), names.app.end());
  return names;
}

std::vector<int> LoggedRestarts(const fs::path& container_dir) {
  std::vector<int> restarts;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(container_dir, ec)) {
    const std::string stem = entry.path().stem().string();
    if (entry.path().extension() != ".log" || stem.empty() || stem.size() > 6 ||
        !std::all_of(stem.begin(), stem.end(), ::isdigit))
      continue;
    restarts.push_back(std::stoi(stem));
  }
  std::sort(restarts.begin(), restarts.end());
  return restarts;
}

std::optional<std::string> JobPodName(const RunDir& run, const std::string& job,
                                      std::string* error) {
  const std::string controller = "PyTorchJob/" + job;
  std::vector<std::string> names;
  std::string master;
  for (const auto& p : run.pods) {
    if (p.controller != controller) continue;
    if (std::find(names.begin(), names.end(), p.name) == names.end()) names.push_back(p.name);
    if (p.replica_type == "master" && p.replica_index == 0) master = p.name;
  }
  if (names.empty()) {
    std::vector<std::string> jobs;
    for (const auto& p : run.pods) {
      if (p.controller.starts_with("PyTorchJob/") &&
          std::find(jobs.begin(), jobs.end(), p.controller.substr(11)) == jobs.end())
        jobs.push_back(p.controller.substr(11));
    }
    *error = jobs.empty()
                 ? fmt::format(
                       "no pods of PyTorchJob \"{}\" in {}: the run has no PyTorchJob pods; "
                       "{}",
                       job, run.path.string(), run.ListNames())
                 : fmt::format("no pods of PyTorchJob \"{}\" in {}{}jobs with pods: {}", job,
                               run.path.string(), Suggest(job, jobs), fmt::join(jobs, ", "));
    return std::nullopt;
  }
  const std::string chosen = master.empty() ? names.front() : master;
  if (names.size() > 1)
    std::cerr << fmt::format("Found {} pods, using pod/{}\n", names.size(), chosen);
  return chosen;
}

const PodIncarnation* PickIncarnation(const RunDir& run, const std::string& name,
                                      std::optional<int> incarnation, const std::string& pod_uid,
                                      std::string* error) {
  const auto pods = run.Named(name);
  if (pods.empty()) {
    *error = fmt::format("pod \"{}\" not found in {}{}{}", name, run.path.string(),
                         Suggest(name, run.Names()), run.ListNames());
    return nullptr;
  }
  if (!pod_uid.empty()) {
    const PodIncarnation* found = nullptr;
    int matches = 0;
    for (const auto* p : pods) {
      if (p->uid == pod_uid) return p;
      if (p->uid.starts_with(pod_uid)) {
        found = p;
        ++matches;
      }
    }
    if (matches == 1) return found;
    *error = fmt::format(
        "{} incarnation of pod \"{}\" has a uid {}\"{}\"; its incarnations: {}; give "
        "--pod-uid UID or --incarnation N",
        matches == 0 ? "no" : "more than one", name, "starting with ", pod_uid,
        ListIncarnations(pods));
    return nullptr;
  }
  if (!incarnation) return pods.back();
  const int n = static_cast<int>(pods.size());
  const int i = *incarnation;
  if (i == 0 || i > n || i < -n) {
    *error = fmt::format(
        "pod \"{}\" has {} incarnation{} (created {}); --incarnation takes 1 to {} (1 = the "
        "first created) or -1 to -{} (-1 = the newest): {}",
        name, n, n == 1 ? "" : "s", n == 1 ? "once" : "with the same name, each with a new uid", n,
        n, ListIncarnations(pods));
    return nullptr;
  }
  return pods[static_cast<std::size_t>(i > 0 ? i - 1 : n + i)];
}

std::optional<int> PickRestart(const RunDir& run, const PodIncarnation& pod,
                               const std::string& container, bool previous, std::string* error) {
  auto restarts = LoggedRestarts(pod.dir / container);
  const nlohmann::json* c = ReportContainer(run, pod, container);
  // A restart that printed nothing has no file; the report still lists it.
  if (c && c->contains("runs") && (*c)["runs"].is_array()) {
    for (const auto& r : (*c)["runs"]) {
      if (r.contains("restartCount") && r["restartCount"].is_number_integer())
        restarts.push_back(r["restartCount"].get<int>());
    }
    std::sort(restarts.begin(), restarts.end());
    restarts.erase(std::unique(restarts.begin(), restarts.end()), restarts.end());
  }
  auto restarts_text = [&] {
    std::vector<std::string> items;
    for (int r : restarts)
      items.push_back(std::to_string(r));
    return restarts.empty() ? std::string("none") : fmt::format("{}", fmt::join(items, ", "));
  };
  if (restarts.empty()) {
    std::string waiting;
    if (c && c->contains("state") && (*c)["state"].is_object() && (*c)["state"].contains("waiting"))
      waiting = Str((*c)["state"]["waiting"], "reason");
    *error = !waiting.empty()
                 ? fmt::format("container \"{}\" in pod \"{}\" is waiting to start: {}", container,
                               pod.name, waiting)
                 : fmt::format(
                       "container \"{}\" in pod \"{}\" (uid {}) has no logs: it never "
                       "started",
                       container, pod.name, pod.uid);
    return std::nullopt;
  }
  if (!previous) return restarts.back();
  int restart_count = restarts.back();
  if (c && c->contains("restartCount") && (*c)["restartCount"].is_number_integer())
    restart_count = (*c)["restartCount"].get<int>();
  const int wanted = restart_count - 1;
  if (wanted < 0 || std::find(restarts.begin(), restarts.end(), wanted) == restarts.end()) {
    *error = fmt::format(
        "previous terminated container \"{}\" in pod \"{}\" not found: its restartCount is {} "
        "(restarts that ran: {}); leave out -p for the current one",
        container, pod.name, restart_count, restarts_text());
    return std::nullopt;
  }
  return wanted;
}

std::optional<std::string> PickContainer(const RunDir& run, const PodIncarnation& pod,
                                         const std::string& wanted, std::string* error) {
  const ContainerNames names = ContainersOf(run, pod);
  if (!wanted.empty()) {
    if (names.Has(wanted) || (names.app.empty() && names.init.empty())) return wanted;
    *error = fmt::format("container {} is not valid for pod {} out of: {}; give -c NAME", wanted,
                         pod.name, names.All());
    return std::nullopt;
  }
  if (names.app.empty()) {
    *error = fmt::format("pod \"{}\" (uid {}) has no container logs yet{}", pod.name, pod.uid,
                         names.init.empty() ? "" : "; its init containers: " + names.All());
    return std::nullopt;
  }
  if (names.app.size() > 1 || !names.init.empty())
    std::cerr << fmt::format("Defaulted container \"{}\" out of: {}\n", names.app[0], names.All());
  return names.app[0];
}

std::string TailLines(const std::string& text, int tail) {
  if (tail < 0) return text;
  std::size_t start = text.size();
  // A last line without a newline still counts as a line.
  std::size_t end = !text.empty() && text.back() == '\n' ? text.size() - 1 : text.size();
  for (int lines = 0; lines < tail; ++lines) {
    const auto nl = end == 0 ? std::string::npos : text.rfind('\n', end - 1);
    if (nl == std::string::npos) {
      start = 0;
      break;
    }
    start = nl + 1;
    end = nl;
  }
  return text.substr(start);
}

fs::path LogPath(const PodIncarnation& pod, const std::string& container, int restart) {
  return pod.dir / container / fmt::format("{}.log", restart);
}

}  // namespace ptsim::cli
