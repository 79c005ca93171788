// The kubelet of one fake node: it runs the pods bound to its node the way a
// real kubelet would (docs/upstream/kubernetes.md#the-kubelet, and the kubelet
// sources cited in each function): init containers one at a time, then the app
// containers; container states and lastState; in-place restarts by
// restartPolicy with CrashLoopBackOff; the pod phase and conditions; graceful
// deletion (SIGTERM, SIGKILL after the grace period, at least 2s; a death
// confirmed at the next whole-second PLEG relist), a terminal phase for
// deleted pods, then removal of the object; spec.activeDeadlineSeconds;
// node-pressure eviction; image pulls through an ImagePuller; logs of every
// container incarnation under the run directory.
//
// Containers are real processes or scripted containers, both through a
// ProcessRunner. The kubelet writes pod status through the API server and
// tells KubeletObservers about each incarnation. Loop thread only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/kubelet/crash_loop_backoff.hpp"
#include "fakes/kubelet/dns_wait_runner.hpp"
#include "fakes/kubelet/host_network.hpp"
#include "fakes/kubelet/images.hpp"
#include "fakes/kubelet/kubelet_observer.hpp"
#include "fakes/process/process_runner.hpp"

namespace ptsim {

struct KubeletConfig {
  std::string node_name;
  // Where pod directories go: <run_dir>/pods/<ns>_<pod>_<uid>/...
  std::string run_dir;
  // The environment every container starts from, before the image's and the
  // pod's ("NAME=value"): typically PATH, HOME, LANG inherited from ptsim.
  std::vector<std::string> base_env;
  // Scripted containers have no sockets: their ports are not remapped.
  bool remap_ports = true;
};

class Kubelet {
 public:
  Kubelet(ApiServer& api, ProcessRunner& runner, HostNetwork& network, const ImageRegistry& images,
          ImagePuller& puller, KubeletConfig config);
  ~Kubelet();
  Kubelet(const Kubelet&) = delete;
  Kubelet& operator=(const Kubelet&) = delete;

  const std::string& node_name() const { return config_.node_name; }
  void AddObserver(KubeletObserver* observer) { observers_.push_back(observer); }
  // Interceptors are asked, in order, before the ordinary runner; the
  // init-pytorch DNS wait is always the first.
  void AddInterceptor(CommandInterceptor* interceptor) { interceptors_.push_back(interceptor); }

  // Called for every pod change that concerns this node (see Kubelets).
  void OnPodEvent(const WatchEvent<Pod>& event);

  // Hooks for fault injection.
  struct RunningContainer {
    std::string pod;
    std::string container;
    ProcessId process;
    ProcessRunner* runner;
  };
  std::vector<RunningContainer> RunningContainers(const std::string& ns,
                                                  const std::string& pod) const;
  // Node-pressure eviction (pkg/kubelet/eviction): kill the pod's containers and
  // mark it Failed with reason Evicted and `message`.
  void Evict(const std::string& ns, const std::string& pod, const std::string& message);
  // The node's machine dies: every process is killed at once and the kubelet
  // stops acting until Recover(). Pod objects keep their last status.
  void Crash();
  // The node's machine comes back: pods still bound here are synced again;
  // their containers were lost and restart by restartPolicy.
  void Recover();
  // The end of a run: stop acting on pods, send SIGTERM to every process and
  // SIGKILL to what is left after `grace`. Pod objects keep their last status.
  void Shutdown(Duration grace);
  // Processes (real or scripted) still running.
  std::size_t running_containers() const;
  bool crashed() const { return crashed_; }
  // Pods whose containers this kubelet is still stopping (deleted, evicted,
  // past their deadline) and whose final phase is not yet written.
  std::size_t terminating_pods() const;
  std::size_t pod_count() const { return workers_.size(); }

  struct PodWorker;
  struct ContainerRuntime;

 private:
  void Admit(const Pod& pod);
  void Sync(const std::string& uid);
  void StartContainer(PodWorker& w, ContainerRuntime& c);
  void LaunchContainer(PodWorker& w, ContainerRuntime& c);
  void OnContainerExit(std::uint32_t serial, int incarnation, const ProcessExit& exit);
  void OnLogRotated(std::uint32_t serial, int incarnation, const std::string& rotated_path);
  void OnLogError(std::uint32_t serial, int incarnation, const std::string& message);
  // The live container with `serial` (ContainerRuntime::serial), or null once
  // its pod worker is gone; `*worker` is set to its pod's worker.
  ContainerRuntime* FindBySerial(std::uint32_t serial, PodWorker** worker) const;
  bool ShouldRestart(const PodWorker& w, const ContainerRuntime& c) const;
  void ScheduleRestart(PodWorker& w, ContainerRuntime& c);
  void BeginTermination(PodWorker& w, std::int64_t grace_seconds);
  // A container of a terminating pod died: the kubelet confirms it, and writes
  // the terminal phase, at its next PLEG relist. Until then the API shows the
  // pod still running with its deletionTimestamp, which is what the operator
  // sees and counts as failed
  // (docs/upstream/training-operator.md#terminating-pods-count-as-failed).
  void ConfirmTerminationAtRelist(PodWorker& w);
  void MaybeFinishTermination(PodWorker& w);
  void WriteStatus(PodWorker& w);
  ContainerStatus BuildStatus(const PodWorker& w, const ContainerRuntime& c) const;
  void RecordEvent(const PodWorker& w, const std::string& container, const std::string& type,
                   const std::string& reason, const std::string& message);
  void CheckActiveDeadline(const std::string& uid);
  std::string PodDir(const PodWorker& w) const;
  void CleanUp(PodWorker& w);

  ApiServer& api_;
  ProcessRunner& runner_;
  HostNetwork& network_;
  const ImageRegistry& images_;
  ImagePuller& puller_;
  KubeletConfig config_;
  std::vector<KubeletObserver*> observers_;
  std::map<std::string, std::unique_ptr<PodWorker>> workers_;  // by pod uid
  // Every container of every worker, by ContainerRuntime::serial: process
  // callbacks capture a serial instead of the pod uid and container name, so
  // that they fit in std::function's inline storage (no allocation per spawn).
  std::unordered_map<std::uint32_t, std::pair<PodWorker*, ContainerRuntime*>> containers_;
  std::uint32_t next_serial_ = 1;
  std::map<std::string, std::shared_ptr<const ContainerScript>> annotation_scripts_;
  DnsWaitRunner dns_wait_;
  std::vector<CommandInterceptor*> interceptors_;
  bool crashed_ = false;
};

// Routes pod watch events to the kubelet of the pod's node (one watch for all
// nodes instead of one per node).
class Kubelets {
 public:
  explicit Kubelets(ApiServer& api);
  Kubelet& Add(std::unique_ptr<Kubelet> kubelet);
  Kubelet* Find(const std::string& node) const;
  const std::vector<std::unique_ptr<Kubelet>>& all() const { return kubelets_; }

 private:
  std::vector<std::unique_ptr<Kubelet>> kubelets_;
  std::map<std::string, Kubelet*> by_node_;
};

}  // namespace ptsim
