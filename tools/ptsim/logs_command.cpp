#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "fakes/process/container_log.hpp"
#include "tools/ptsim/commands.hpp"
#include "tools/ptsim/log_files.hpp"
#include "tools/ptsim/log_follow.hpp"
#include "tools/ptsim/object_ref.hpp"
#include "tools/ptsim/run_dir.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

int Fail(const std::string& message) {
  std::cerr << "ptsim logs: " << message << "\n";
  return 2;
}

// Prints one restart's log. As `kubectl logs`, only the current file of a
// rotated log (the kubelet serves ReadLogs from the container's log path);
// the rotated files stay next to it, as on a node.
void PrintLog(const fs::path& path, int tail) {
  const auto kept = KeptLogFiles(path.string());
  if (kept.size() > 1) {
    std::cerr << fmt::format(
        "ptsim logs: the log was rotated; earlier output is in {} (the oldest first), or "
        "was deleted past --container-log-max-files\n",
        fmt::join(kept.begin(), kept.end() - 1, " "));
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::cout << TailLines(text.str(), tail) << std::flush;
}

// --all-containers: the init containers, then the others, in spec order (as
// kubectl). One without the requested log is skipped with a note.
int PrintAllContainers(const RunDir& run, const PodIncarnation& pod, const LogsOptions& options) {
  const ContainerNames names = ContainersOf(run, pod);
  std::vector<std::string> all = names.init;
  all.insert(all.end(), names.app.begin(), names.app.end());
  int printed = 0;
  for (const auto& c : all) {
    std::string error;
    auto restart = PickRestart(run, pod, c, options.previous, &error);
    if (!restart) {
      std::cerr << "ptsim logs: skipped: " << error << "\n";
      continue;
    }
    PrintLog(LogPath(pod, c, *restart), options.tail);
    ++printed;
  }
  if (printed == 0) return Fail(fmt::format("no container of pod \"{}\" has such a log", pod.name));
  return 0;
}

}  // namespace

// Mirrors `kubectl logs` over a run directory:
// <run>/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log
int Logs(const LogsOptions& options) {
  if (options.timestamps) {
    return Fail(
        "--timestamps: a run's logs hold what each process printed, without the time of each "
        "line, so there are no timestamps to show; the report gives each restart's startedAt "
        "and finishedAt (`ptsim describe RUN pod/NAME`)");
  }
  if (options.follow && options.all_containers)
    return Fail("-f follows one container: give -c NAME instead of --all-containers");
  if (options.incarnation && !options.pod_uid.empty())
    return Fail("give --incarnation N or --pod-uid UID, not both");
  std::string error;
  auto target = ParseObjectRef(options.target, {ObjectRef::Kind::kPod, ObjectRef::Kind::kJob},
                               ObjectRef::Kind::kPod, &error);
  if (!target) return Fail(error);
  auto run = OpenRun(options.run, options.runs_dir, &error);
  if (!run) return Fail(error);
  if (options.follow && !options.previous) return FollowLogs(*run, *target, options);
  std::string pod_name = target->name;
  if (target->kind == ObjectRef::Kind::kJob) {
    auto name = JobPodName(*run, target->name, &error);
    if (!name) return Fail(error);
    pod_name = *name;
  }
  const PodIncarnation* pod =
      PickIncarnation(*run, pod_name, options.incarnation, options.pod_uid, &error);
  if (!pod) return Fail(error);
  if (options.all_containers) return PrintAllContainers(*run, *pod, options);
  auto container = PickContainer(*run, *pod, options.container, &error);
  if (!container) return Fail(error);
  auto restart = PickRestart(*run, *pod, *container, options.previous, &error);
  if (!restart) return Fail(error);
  PrintLog(LogPath(*pod, *container, *restart), options.tail);
  return 0;
}

}  // namespace ptsim::cli
