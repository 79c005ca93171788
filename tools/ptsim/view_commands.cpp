#include "tools/ptsim/view_commands.hpp"

namespace ptsim::cli {

ViewCommands AddViewCommands(CLI::App& app, LogsOptions* logs, DescribeOptions* describe,
                             EventsOptions* events) {
  ViewCommands out;
  const char* kRun = "A run directory, or a run name under --runs-dir";
  const char* kIncarnation =
      "Which incarnation of a recreated pod (same name, new uid): 1 = the first created, "
      "2 the next, ..., -1 = the newest (the default)";
  const char* kPodUid = "Which incarnation of a recreated pod, by its uid (or a unique prefix)";

  out.logs = app.add_subcommand(
      "logs",
      "Print a container's log from a run, like kubectl logs: RUN POD (or pod/POD, or "
      "job/NAME or pytorchjob/NAME for its master-0 pod). Every incarnation of a recreated "
      "pod is kept: pick one with --incarnation or --pod-uid.");
  out.logs->add_option("RUN", logs->run, kRun)->required();
  out.logs->add_option("POD", logs->target, "POD, pod/POD, job/NAME or pytorchjob/NAME")
      ->required();
  out.logs->add_option("-c,--container", logs->container,
                       "The container (default: the pod's first; init containers too, e.g. "
                       "init-pytorch)");
  out.logs->add_flag("-p,--previous", logs->previous,
                     "The container's previous restart (the kubelet's restartCount - 1)");
  out.logs->add_flag("--all-containers", logs->all_containers,
                     "Every container of the pod, init containers first");
  out.logs->add_option("--tail", logs->tail, "Only the last N lines (-1: all)")
      ->capture_default_str();
  out.logs->add_flag("--timestamps", logs->timestamps,
                     "Not available: the logs hold no per-line times (an error says where "
                     "the times are)");
  out.logs->add_flag("-f,--follow", logs->follow,
                     "Follow a run that another ptsim is still writing: new output, restarts "
                     "and recreated pods, until its report.json appears (or Ctrl-C)");
  out.logs->add_option("--incarnation", logs->incarnation, kIncarnation);
  out.logs->add_option("--pod-uid", logs->pod_uid, kPodUid);
  out.logs->add_option("--runs-dir", logs->runs_dir, "Where run directories are")
      ->capture_default_str();

  out.describe = app.add_subcommand(
      "describe",
      "Show an object of a finished run as kubectl describe would: pod/NAME, "
      "pytorchjob/NAME (or job/NAME) or node/NAME, from the run's report.json. Times are "
      "virtual, from the run's start; ages count back from the run's end.");
  out.describe->add_option("RUN", describe->run, kRun)->required();
  out.describe->add_option("OBJECT", describe->target, "pod/NAME, pytorchjob/NAME or node/NAME")
      ->required();
  out.describe->add_option("--incarnation", describe->incarnation, kIncarnation);
  out.describe->add_option("--pod-uid", describe->pod_uid, kPodUid);
  out.describe->add_option("--runs-dir", describe->runs_dir, "Where run directories are")
      ->capture_default_str();

  out.events = app.add_subcommand(
      "events",
      "List a finished run's Kubernetes events as kubectl events would (LAST SEEN, TYPE, "
      "REASON, OBJECT, MESSAGE; ages count back from the run's end).");
  out.events->add_option("RUN", events->run, kRun)->required();
  out.events->add_option("--for", events->for_object,
                         "Only the events of one object: pod/NAME, pytorchjob/NAME or node/NAME");
  out.events->add_option("--types", events->types, "Only events of these types: Normal, Warning")
      ->delimiter(',');
  out.events->add_option("--runs-dir", events->runs_dir, "Where run directories are")
      ->capture_default_str();
  return out;
}

}  // namespace ptsim::cli
