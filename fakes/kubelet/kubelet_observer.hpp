// What the kubelet tells the layers above about containers, beyond what pod
// status shows: each incarnation's command line and resolved environment, its
// log lines as they are written, and exactly how it ended. The harness builds
// reports and log-line triggers from these. Called on the loop thread, in the
// order things happen; observers must not call back into the kubelet
// synchronously for the same pod.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fakes/process/process_runner.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

struct ContainerIncarnation {
  std::string namespace_;
  std::string pod;
  std::string pod_uid;
  std::string container;
  bool init = false;
  int restart_count = 0;  // which incarnation: 0 for the first start
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;  // what the process saw, in order
  std::string log_path;
  bool scripted = false;
  int pid = 0;
  Time started_at{};
};

class KubeletObserver {
 public:
  virtual ~KubeletObserver() = default;
  virtual void ContainerStarted(const ContainerIncarnation&) {}
  virtual void ContainerOutput(const ContainerIncarnation&, std::string_view /*line*/) {}
  // The incarnation's log file was rotated (containerLogMaxSize reached): what
  // it held is now in `rotated_path`, which the cap may delete later.
  virtual void ContainerLogRotated(const ContainerIncarnation&,
                                   const std::string& /*rotated_path*/) {}
  // The incarnation's log could not be opened or written (a full disk):
  // `message` names the file and the reason; what followed is not in the log.
  virtual void ContainerLogError(const ContainerIncarnation&, const std::string& /*message*/) {}
  // `state` is the terminated state the kubelet reports (reason, exit code, times).
  virtual void ContainerExited(const ContainerIncarnation&, const ProcessExit&,
                               const ContainerStateTerminated& /*state*/) {}
};

}  // namespace ptsim
