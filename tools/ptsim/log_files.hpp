// Where `ptsim logs` finds a container's logs in a run directory, and the
// choices kubectl's arguments make among them: which incarnation of a pod
// name (--incarnation, --pod-uid), which container (-c, kubectl's default),
// which restart (-p). Each choice that cannot be made returns nullopt with an
// error that lists what exists and what to type. Read-only; not thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tools/ptsim/run_dir.hpp"

namespace ptsim::cli {

// A pod's containers, in spec order: from the report when the run has one,
// else from the directories its containers' logs are in (sorted).
struct ContainerNames {
  std::vector<std::string> init;
  std::vector<std::string> app;
  bool Has(const std::string& name) const;
  // kubectl's podcmd.AllContainerNames: "pytorch, init-pytorch (init)".
  std::string All() const;
};
ContainerNames ContainersOf(const RunDir& run, const PodIncarnation& pod);

// The restart counts N of the <N>.log files in `container_dir`, ascending.
std::vector<int> LoggedRestarts(const std::filesystem::path& container_dir);

// The pod `kubectl logs job/NAME` would pick for a PyTorchJob: its master-0,
// else the first pod created. Says on stderr which pod when there are several
// ("Found 3 pods, using pod/NAME", as kubectl's logsForObjectWithClient).
std::optional<std::string> JobPodName(const RunDir& run, const std::string& job,
                                      std::string* error);

// incarnation: 1 = the first created, -1 = the newest; pod_uid: a uid or a
// unique prefix of one. Neither: the newest.
const PodIncarnation* PickIncarnation(const RunDir& run, const std::string& name,
                                      std::optional<int> incarnation, const std::string& pod_uid,
                                      std::string* error);

// The restart whose log `kubectl logs` shows: the newest one that ran (a
// log file, or a run in the report: a restart that printed nothing has none),
// or with `previous` the one before the kubelet's restartCount (the report's,
// or while the run goes the newest log's restart minus one), as the kubelet's
// validateContainerLogStatus.
std::optional<int> PickRestart(const RunDir& run, const PodIncarnation& pod,
                               const std::string& container, bool previous, std::string* error);

// The container `wanted` names (checked against the pod's), or kubectl's
// default: the first app container, saying on stderr which when the pod has
// others ("Defaulted container ... out of: ...", as logsForObjectWithClient).
std::optional<std::string> PickContainer(const RunDir& run, const PodIncarnation& pod,
                                         const std::string& wanted, std::string* error);

// The last `tail` lines of `text` (all of it when tail < 0), as --tail.
std::string TailLines(const std::string& text, int tail);

// The log of one restart: <pod dir>/<container>/<restart>.log.
std::filesystem::path LogPath(const PodIncarnation& pod, const std::string& container, int restart);

}  // namespace ptsim::cli
