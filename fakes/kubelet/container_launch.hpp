// Turning a pod's container into a process: the command line and environment
// exactly as Kubernetes composes them, and the volume mounts mapped onto the
// host (docs/networking.md and docs/volumes.md describe the rules for users).
//
//  - argv: `command` replaces the image's entrypoint and `args` its cmd; an
//    image's cmd is dropped when the container sets `command`.
//  - env: the base environment, then the image's ENV, then HOSTNAME=<pod>,
//    then the container's `env` in order, each value with $(VAR) references to
//    earlier variables expanded ($$ escapes) and valueFrom (downward API)
//    resolved; a later duplicate wins. $(VAR) in command and args is expanded
//    from the final environment. The names whose final value came from
//    valueFrom are listed, so that the network rewrite leaves them alone.
//  - working directory: the image mapping's workingDir; else, for a mapping
//    with `run`, the directory of the file that held it (ImageSpec::base_dir);
//    else the container's workingDir; else, when the mapping supplies the
//    command line (entrypoint/cmd), its base_dir; else empty (the runner's
//    default: the directory of the run's file). A mapping says where to run
//    on this machine, where the container's workingDir names a directory
//    inside the image.
//  - volumes: an emptyDir lives in the pod's directory, a persistentVolumeClaim
//    in the run's volumes directory (it outlives pods), a hostPath is itself;
//    since processes share ptsim's filesystem, a value in env or argv that
//    starts with a mountPath is rewritten to the host directory.
// Pure functions apart from creating volume directories.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fakes/kubelet/images.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

struct LaunchPlan {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;  // final, duplicates resolved
  std::set<std::string> downward_api_env;  // names in `env` whose value came from valueFrom
  std::string working_dir;
  std::shared_ptr<const ContainerScript> script;
  // Set when the container cannot be created; the kubelet reports it as a
  // waiting reason (CreateContainerConfigError, CreateContainerError).
  std::string error_reason;
  std::string error_message;
};

struct VolumeMountPlan {
  std::string mount_path;
  std::string host_path;
};

// Expands $(VAR) references with `lookup`; undefined references stay as written.
std::string ExpandReferences(const std::string& input,
                             const std::vector<std::pair<std::string, std::string>>& vars);

// The working directory of a container of `image` (null: unmapped), before
// mount paths are mapped; "" for the runner's default.
std::string WorkingDir(const Container& c, const ImageSpec* image);

// Host directories for the container's mounts, created as needed.
// `pod_dir` is the pod's own directory, `run_dir` the run's.
std::vector<VolumeMountPlan> PlanVolumes(const Pod& pod, const Container& c,
                                         const std::string& pod_dir, const std::string& run_dir);

LaunchPlan PlanContainer(const Pod& pod, const Container& c, const ImageSpec* image,
                         std::shared_ptr<const ContainerScript> annotation_script,
                         const std::vector<std::string>& base_env,
                         const std::vector<VolumeMountPlan>& mounts);

}  // namespace ptsim
