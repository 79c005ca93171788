// One emulated torchrun: the elastic agent of one container (launcher/api.py
// launch_agent around agent/server/api.py SimpleElasticAgent and
// local_elastic_agent.py LocalElasticAgent), driven by loop timers instead of
// threads and sleeps. It prints what torchrun prints (at its default WARNING
// level), creates the rendezvous handler, runs rounds of rendezvous -> rank
// assignment -> master address -> worker start, polls the workers every
// monitor_interval, restarts the whole local group on a failure while
// restarts remain (and on a membership change without using one), waits on
// the exit barrier, and ends like torchrun: 0, or 1 with a ChildFailedError
// summary whatever the workers' codes, or by a signal before its handlers
// exist. Signals reach it through Signal(). Loop thread only.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fakes/elastic/agent_context.hpp"
#include "fakes/elastic/agent_watch.hpp"
#include "fakes/elastic/launch_config.hpp"
#include "fakes/elastic/rank_assignment.hpp"
#include "fakes/elastic/rendezvous_handler.hpp"
#include "fakes/elastic/worker_group.hpp"
#include "fakes/elastic/worker_output.hpp"
#include "fakes/kubelet/host_network.hpp"
#include "fakes/process/container_line_log.hpp"
#include "fakes/process/process_runner.hpp"
#include "sim/core/notes.hpp"
#include "sim/core/trace.hpp"

namespace ptsim::elastic {

struct ElasticAgentOptions {
  TorchrunProfile profile;
  Duration shutdown_timeout = std::chrono::seconds(30);       // PContext.close(timeout=30)
  Duration exit_barrier_timeout = std::chrono::seconds(300);  // SimpleElasticAgent
  // Where torchelastic_<random>/ directories go when --log_dir is not given
  // (torch: tempfile.mkdtemp). Empty: the system temporary directory.
  std::string log_root;
  // Extra "NAME=value" entries for one worker's environment, given its ranks
  // and the group's restart count; they replace variables of the same name.
  // For callers that run the launch the way a Python program around
  // elastic_launch would (flytekit's elastic task). Empty: none.
  std::function<std::vector<std::string>(const WorkerRanks& worker, int restart_count)>
      extra_worker_env;
  // When to say that the agent or its workers wait in silence (agent_watch.hpp).
  AgentWatch::Options watch;
  // How the container's log is rotated and capped (the kubelet's
  // containerLogMaxSize/MaxFiles; the agent writes its workers' output).
  ContainerLogPolicy log_policy;
};

// How launch_agent ended, for a caller that plays the Python program around
// it (flytekit catches ChildFailedError and SignalException): set when the
// agent exits, before on_exit is delivered.
struct AgentEnding {
  enum class Kind {
    kSucceeded,    // every worker exited 0; launch_agent returned
    kChildFailed,  // ChildFailedError
    kSignal,       // SignalException (SIGTERM, SIGINT, SIGHUP, SIGQUIT)
    kException,    // any other exception (rendezvous errors, bad config)
    kKilled,       // ended without raising to its caller: a signal it had no handler
                   // for (or SIGKILL), or an argparse exit
  };
  Kind kind = Kind::kSucceeded;
  std::map<int, ProcessFailure> failures;  // kChildFailed: by global rank
  std::string child_failed_message;        // ChildFailedError.format_msg
  std::optional<TorchrunError> error;      // kSignal, kException
  int signal = 0;                          // kSignal, kKilled
  std::vector<WorkerRanks> workers;        // the last group's ranks
  int restart_count = 0;                   // of the last group
};

class ElasticAgent {
 public:
  // What the agent runs on; `ports` hands out the c10d master port (may be
  // null: 29500 + agent id), `trace` records milestones (may be null).
  struct Deps {
    ProcessRunner* workers = nullptr;
    PortAllocator* ports = nullptr;
    Trace* trace = nullptr;
    Notes* notes = nullptr;  // where waits in silence are reported (may be null)
  };

  // `container`: the intercepted container's spec (name, env, working dir,
  // log file, script). `plan`: its LaunchPlan (possibly an error to report).
  ElasticAgent(AgentContext ctx, Deps deps, ElasticAgentOptions options, ProcessSpec container,
               LaunchPlan plan, ProcessRunner::Callbacks callbacks);
  ~ElasticAgent();
  ElasticAgent(const ElasticAgent&) = delete;
  ElasticAgent& operator=(const ElasticAgent&) = delete;

  void Start();
  void Signal(int signal);
  bool finished() const { return exit_.has_value(); }

  // For tests and reports.
  int attempts() const { return attempts_; }  // worker groups started
  int restart_count() const { return config_ ? config_->max_restarts - remaining_restarts_ : 0; }
  int membership_restarts() const { return membership_restarts_; }
  int group_rank() const { return group_rank_; }
  int group_world_size() const { return group_world_size_; }
  const std::vector<WorkerRanks>& workers() const { return workers_; }
  const std::string& log_dir() const { return log_dir_; }
  const std::optional<ElasticLaunchConfig>& config() const { return config_; }
  // Set once the agent has exited.
  const std::optional<AgentEnding>& ending() const { return ending_; }
  // The workers' TORCHELASTIC_USE_AGENT_STORE of the last group.
  bool use_agent_store() const { return use_agent_store_; }
  const std::string& master_addr() const { return master_addr_; }
  int master_port() const { return master_port_; }

 private:
  enum class Phase {
    kCreated,
    kConnecting,
    kRendezvous,
    kRunning,
    kClosing,
    kBarrier,
    kSignaled,
    kDone
  };

  void Emit(const std::string& line);
  void Record(const std::string& text);
  std::string ErrorFile() const;
  void MakeLogDir();
  // The ladder of SimpleElasticAgent.run, one step per method.
  void Run();
  void InitializeWorkers(std::function<void()> next);
  void AssignRanks(RendezvousResult rdzv, std::function<void()> next);
  void ShareMasterAddress(std::function<void()> next);
  void StartWorkers(std::function<void()> next);
  void ScheduleMonitor();
  void MonitorTick();
  void HandleResult(LocalWorkerGroup::PollResult result);
  void RestartWorkers(bool membership_change);
  // torch 2's c10d store sharing: rank 0 serves a second store for the workers.
  bool SharesRendezvousStore() const;
  std::optional<std::string> CreateSharedStore(std::string* addr, int* port);
  void StopSharedStore();
  // torch 2's --event-log-handler at the end of the run; false when it raised.
  bool RecordWorkerEvents(const std::map<int, ProcessFailure>& failures);
  void ExitBarrier(std::function<void()> next);
  // How the run ends.
  void FinishSucceeded();
  void FinishChildFailed(const std::map<int, ProcessFailure>& by_local_rank);
  void FailInRun(TorchrunError error);
  void FailOutsideRun(TorchrunError error, bool shutdown_rendezvous);
  void FinishSignaled(int signal);
  void PrintException(const TorchrunError& error);
  AgentEnding& SetEnding(AgentEnding::Kind kind);
  void Exit(ProcessExit exit);

  AgentContext ctx_;
  Deps deps_;
  ElasticAgentOptions options_;
  ProcessSpec container_;
  LaunchPlan plan_;
  std::optional<ElasticLaunchConfig> config_;
  ProcessRunner::Callbacks callbacks_;
  ContainerLineLog log_;  // after callbacks_, which it reports to

  std::unique_ptr<RendezvousHandler> handler_;
  std::unique_ptr<LocalWorkerGroup> group_;
  Phase phase_ = Phase::kCreated;
  bool signal_handlers_ = false;  // PContext.start installed them
  bool frozen_ = false;
  bool tick_pending_ = false;
  int remaining_restarts_ = 0;
  int attempts_ = 0;
  int membership_restarts_ = 0;
  int next_synthetic_pid_ = 100;

  StoreHandle store_;
  int group_rank_ = 0;
  int group_world_size_ = 0;
  std::vector<WorkerRanks> workers_;
  std::string master_addr_;
  int master_port_ = 0;
  std::string log_dir_;
  Time barrier_start_{};
  EventLoop::TimerId monitor_timer_;
  std::optional<ProcessExit> exit_;
  std::optional<AgentEnding> ending_;
  std::unique_ptr<AgentWatch> watch_;
  std::set<int> handled_signals_;
  Duration signal_shutdown_timeout_ = options_.shutdown_timeout;  // torch 2: --shutdown-timeout
  std::vector<std::string> signal_warnings_;
  bool use_agent_store_ = false;
  std::optional<std::pair<std::string, int>> bootstrap_;  // torch 2: the shared store
  TcpStore* shared_store_ = nullptr;
  std::unique_ptr<WorkerOutput> output_;
  Time run_started_{};
  LifeToken life_;
};

}  // namespace ptsim::elastic
