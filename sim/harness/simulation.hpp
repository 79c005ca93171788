// One simulated world, wired together: the event loop and its clock, the
// trace, the seeded RNG, the API server, the scheduler, one kubelet per node,
// host networking, the image registry, and the process runners (real and
// scripted). The harness builds one Simulation per run; the fakes never see
// it. Loop thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/elastic/elastic_agent_runner.hpp"
#include "fakes/elastic/rendezvous_registry.hpp"
#include "fakes/elastic/torch_probe.hpp"
#include "fakes/job/job_controller.hpp"
#include "fakes/job/ttl_after_finished_controller.hpp"
#include "fakes/jobset/jobset_controller.hpp"
#include "fakes/kubelet/host_network.hpp"
#include "fakes/kubelet/images.hpp"
#include "fakes/kubelet/kubelet.hpp"
#include "fakes/nodelifecycle/node_lifecycle_controller.hpp"
#include "fakes/operator/pytorchjob_controller.hpp"
#include "fakes/process/faulty_runner.hpp"
#include "fakes/process/memory_cgroups.hpp"
#include "fakes/process/orphan_guard.hpp"
#include "fakes/process/real_process_runner.hpp"
#include "fakes/process/runner_mux.hpp"
#include "fakes/process/scripted_process_runner.hpp"
#include "fakes/scheduler/scheduler.hpp"
#include "fakes/trainer/trainjob_controller.hpp"
#include "sim/core/event_loop.hpp"
#include "sim/core/notes.hpp"
#include "sim/core/random.hpp"
#include "sim/core/trace.hpp"
#include "sim/core/wall_clock.hpp"
#include "sim/model/node.hpp"
#include "sim/model/operator_version.hpp"

namespace ptsim {

struct NodeConfig {
  std::string name;
  ResourceList capacity;
  Labels labels;
  std::vector<Taint> taints;
};

// The default node: what `cluster: {nodes: N}` gives each of its N nodes.
NodeConfig DefaultNode(const std::string& name);

// Where real processes come from; shared by every run of one ptsim process.
struct ProcessEnvironment {
  OrphanGuard* guard = nullptr;
  MemoryCgroups* cgroups = nullptr;
  std::string marker_env;              // "PTSIM_RUN=<token>"
  std::vector<std::string> base_env;   // inherited by every container
  std::string working_dir;             // default working directory of processes
  ContainerLogPolicy log_policy = {};  // the kubelet's containerLogMaxSize/MaxFiles
  std::string shim;                    // ptsim-shim (FindContainerShim); empty: none
};

struct SimulationOptions {
  std::string name = "run";  // the run's name (cgroup names, traces)
  std::uint64_t seed = 1;
  std::string run_dir;
  std::vector<NodeConfig> nodes;
  ProcessEnvironment processes;
  OperatorVersion operator_version = kDefaultOperatorVersion;
  TrainerProfile trainer_profile;  // the TrainJob controller's release
  NodeLifecycleController::Options node_lifecycle;
  // torchrun containers (docs/elastic.md): kAuto emulates the agent when real
  // torchrun cannot run here; kEmulate always; kReal never. `torch_version`
  // picks the torchrun the emulation follows.
  elastic::ElasticPolicy elastic_policy = elastic::ElasticPolicy::kAuto;
  elastic::TorchVersion torch_version = elastic::TorchVersion::kTorch1_13;
  // Shared by the runs of one ptsim process (the probe caches its answer);
  // null: the simulation probes for itself.
  elastic::TorchProbe* torch_probe = nullptr;
  // Tests may drive a manual wall clock; runs use the real one.
  WallClock* wall = nullptr;
  // The Unix time of virtual time 0, for the timestamps the emulated elastic
  // agent stamps (a failed worker without an error file) and prints. Runs use
  // the real time they start at, so that those stamps compare with the ones
  // real workers write (time(NULL) in torch's error files): the earliest
  // failure decides a ChildFailedError's root cause. 0 keeps them 1970-based.
  double unix_epoch_seconds = 0;
};

class Simulation {
 public:
  explicit Simulation(SimulationOptions options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  EventLoop& loop() { return loop_; }
  Trace& trace() { return trace_; }
  Random& random() { return random_; }
  ApiServer& api() { return api_; }
  Kubelets& kubelets() { return kubelets_; }
  Notes& notes() { return notes_; }
  PyTorchJobController& controller() { return controller_; }
  JobController& job_controller() { return job_controller_; }
  JobSetController& jobset_controller() { return jobset_controller_; }
  TrainJobController& trainjob_controller() { return trainjob_controller_; }
  HostNetwork& network() { return network_; }
  MapImageRegistry& images() { return images_; }
  ProcessRunner& runner() { return faulty_; }
  FaultyRunner& faulty_runner() { return faulty_; }
  NodeLifecycleController& node_lifecycle() { return node_lifecycle_; }
  RealProcessRunner& real_runner() { return real_; }
  elastic::ElasticAgentRunner& elastic() { return elastic_; }
  elastic::RendezvousRegistry& rendezvous() { return rendezvous_; }
  const SimulationOptions& options() const { return options_; }

  // Creates the Node object and its kubelet.
  void AddNode(const NodeConfig& config);
  // The image puller every kubelet uses; fault injection replaces it.
  void set_image_puller(ImagePuller* puller) { puller_ = puller; }
  ImagePuller& image_puller() { return *puller_; }
  void AddObserver(KubeletObserver* observer);
  // Registers a command interceptor with every kubelet (present and future).
  void AddInterceptor(CommandInterceptor* interceptor);

 private:
  SimulationOptions options_;
  SteadyWallClock steady_;
  EventLoop loop_;
  Trace trace_;
  Random random_;
  ApiServer api_;
  Scheduler scheduler_;
  KernelPortAllocator ports_;
  HostNetwork network_;
  MapImageRegistry images_;
  InstantImagePuller instant_puller_;
  ImagePuller* puller_ = &instant_puller_;
  // A puller that forwards to whatever puller_ is now, so faults can swap it in.
  class ForwardingPuller final : public ImagePuller {
   public:
    explicit ForwardingPuller(Simulation& s) : s_(s) {}
    PullOutcome Pull(const Pod& p, const Container& c) override { return s_.puller_->Pull(p, c); }

   private:
    Simulation& s_;
  } forwarding_puller_{*this};
  RealProcessRunner real_;
  ScriptedProcessRunner scripted_;
  RunnerMux mux_;
  FaultyRunner faulty_;
  elastic::RendezvousRegistry rendezvous_;
  elastic::RealTorchProbe own_probe_;
  elastic::ElasticAgentRunner elastic_;
  Kubelets kubelets_;
  Notes notes_;
  NodeLifecycleController node_lifecycle_;
  PyTorchJobController controller_;
  JobController job_controller_;                   // batch/v1 Jobs
  TtlAfterFinishedController job_ttl_controller_;  // their ttlSecondsAfterFinished
  JobSetController jobset_controller_;
  TrainJobController trainjob_controller_;
  std::vector<KubeletObserver*> observers_;
  std::vector<CommandInterceptor*> interceptors_;
};

}  // namespace ptsim
