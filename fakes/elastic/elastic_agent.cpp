#include "fakes/elastic/elastic_agent.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <filesystem>

#include "fakes/elastic/c10d_rendezvous.hpp"
#include "fakes/elastic/launch_extras.hpp"
#include "fakes/elastic/python_syntax.hpp"
#include "fakes/elastic/static_rendezvous.hpp"
#include "fakes/elastic/store_util.hpp"
#include "fakes/elastic/worker_env.hpp"
#include "sim/core/signals.hpp"

namespace ptsim::elastic {

namespace {

constexpr std::string_view kAgentLogger = "torch.distributed.elastic.agent.server.api";
constexpr std::string_view kChildFailedError =
    "torch.distributed.elastic.multiprocessing.errors.ChildFailedError";
constexpr std::string_view kSignalException =
    "torch.distributed.elastic.multiprocessing.api.SignalException";
// SimpleElasticAgent: store_util's default barrier timeout for _share_and_gather.
constexpr Duration kShareAndGatherTimeout = std::chrono::seconds(300);

std::string RandomSuffix(Random& random) {
  // tempfile.mkdtemp's names: 8 characters of [a-z0-9_].
  static constexpr std::string_view kChars = "abcdefghijklmnopqrstuvwxyz0123456789_";
  std::string out;
  for (int i = 0; i < 8; ++i)
    out += kChars[random.Uniform(kChars.size())];
  return out;
}

}  // namespace

ElasticAgent::ElasticAgent(AgentContext ctx, Deps deps, ElasticAgentOptions options,
                           ProcessSpec container, LaunchPlan plan,
                           ProcessRunner::Callbacks callbacks)
    : ctx_(std::move(ctx)),
      deps_(deps),
      options_(std::move(options)),
      container_(std::move(container)),
      plan_(std::move(plan)),
      config_(plan_.config),
      callbacks_(std::move(callbacks)),
      log_(container_.log_path, callbacks_, options_.log_policy) {
  ctx_.log = [this](const std::string& line) { Emit(line); };
  ctx_.record = [this](const std::string& text) { Record(text); };
  watch_ =
      std::make_unique<AgentWatch>(ctx_, deps_.notes, deps_.trace, container_.name, options_.watch);
  handled_signals_ = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
  if (config_) {
    remaining_restarts_ = config_->max_restarts;
    if (options_.profile.version == TorchVersion::kTorch2) {
      handled_signals_ = HandledSignals(config_->signals_to_handle, &signal_warnings_);
      // Only the SignalException path of SimpleElasticAgent.run passes the
      // configured timeout (pytorch/pytorch#172596); _stop_workers and the
      // group's own close after a failure keep _shutdown's 30 s
      // (local_elastic_agent.py; pytorch/pytorch#192815 is open to change it).
      signal_shutdown_timeout_ = config_->shutdown_timeout;
    }
  }
}

ElasticAgent::~ElasticAgent() {
  life_.Abandon();
  ctx_.loop->Cancel(monitor_timer_);
  watch_.reset();
  StopSharedStore();
  if (handler_) handler_->ProcessEnded();
  group_.reset();  // SIGKILLs what is left
}

void ElasticAgent::Emit(const std::string& line) {
  // The agent owns the container's log: its own lines and its workers' lines.
  log_.Write(line);
  if (callbacks_.on_output) callbacks_.on_output(line);
}

void ElasticAgent::Record(const std::string& text) {
  if (deps_.trace) {
    deps_.trace->Record(ctx_.loop->Now(), "elastic", fmt::format("{}: {}", container_.name, text));
  }
}

std::string ElasticAgent::ErrorFile() const {
  // error_handler.py: the launcher's own TORCHELASTIC_ERROR_FILE, if any.
  const std::string prefix = "TORCHELASTIC_ERROR_FILE=";
  std::string found;
  for (const auto& kv : container_.env)
    if (kv.rfind(prefix, 0) == 0) found = kv.substr(prefix.size());
  return found;
}

void ElasticAgent::Start() {
  for (const auto& line : plan_.output)
    Emit(line);
  if (!plan_.ok()) {
    const TorchrunError& e = *plan_.error;
    Record("torchrun configuration error: " + e.Describe(""));
    if (e.kind != TorchrunError::Kind::kException) {
      for (const auto& line : e.OutputLines(plan_.prog))
        Emit(line);
      return Exit(ProcessExit::Exited(e.ExitStatus()));
    }
    return FailOutsideRun(e, false);
  }
  const ElasticLaunchConfig& c = *config_;
  // launch_agent: the handler first (a c10d client may wait for its server),
  // then LocalElasticAgent (its log directory).
  if (c.rdzv_backend == "static") {
    handler_ = std::make_unique<StaticRendezvous>(ctx_, c);
  } else {
    handler_ = std::make_unique<C10dRendezvous>(ctx_, c);
  }
  if (c.numa_binding) {
    Record(fmt::format("--numa-binding {}: no effect here (no GPUs or NUMA placement)",
                       *c.numa_binding));
  }
  phase_ = Phase::kConnecting;
  watch_->RendezvousWaitBegan([this] { return handler_->WaitDescription(); },
                              handler_->WaitTimeout());
  handler_->Create(life_.Wrap([this](std::optional<TorchrunError> error) {
    watch_->RendezvousWaitEnded();
    if (error) return FailOutsideRun(*error, false);
    MakeLogDir();
    Run();
  }));
}

void ElasticAgent::MakeLogDir() {
  // LocalElasticAgent._make_log_dir: <log_dir or mkdtemp("torchelastic_")>/<run_id>_<random>.
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string base;
  if (config_->log_dir) {
    base = *config_->log_dir;
  } else {
    const std::string root =
        options_.log_root.empty() ? fs::temp_directory_path(ec).string() : options_.log_root;
    base = fmt::format("{}/torchelastic_{}", root, RandomSuffix(ctx_.random));
  }
  fs::create_directories(base, ec);
  log_dir_ = fmt::format("{}/{}_{}", base, config_->run_id, RandomSuffix(ctx_.random));
  fs::create_directories(log_dir_, ec);
}

void ElasticAgent::Run() {
  // SimpleElasticAgent._invoke_run: initialize, then monitor forever.
  run_started_ = ctx_.loop->Now();
  Record(
      fmt::format("agent started ({} rendezvous, nnodes {}:{}, nproc_per_node {}, max_restarts {})",
                  config_->rdzv_backend, config_->min_nodes, config_->max_nodes,
                  config_->nproc_per_node, config_->max_restarts));
  InitializeWorkers(life_.Wrap([this] { ScheduleMonitor(); }));
}

void ElasticAgent::InitializeWorkers(std::function<void()> next) {
  // _initialize_workers: _rendezvous, then _start_workers.
  phase_ = Phase::kRendezvous;
  watch_->RendezvousWaitBegan([this] { return handler_->WaitDescription(); },
                              handler_->WaitTimeout());
  handler_->NextRendezvous(
      life_.Wrap([this, next](std::variant<RendezvousResult, TorchrunError> result) {
        watch_->RendezvousWaitEnded();
        if (auto* e = std::get_if<TorchrunError>(&result)) return FailInRun(*e);
        AssignRanks(std::get<RendezvousResult>(result), next);
      }));
}

void ElasticAgent::AssignRanks(RendezvousResult rdzv, std::function<void()> next) {
  store_ = rdzv.store;
  group_rank_ = rdzv.group_rank;
  group_world_size_ = rdzv.group_world_size;
  // _assign_worker_ranks -> _share_and_gather over the round's store.
  RoleInstanceInfo mine{config_->role, group_rank_, config_->nproc_per_node};
  Synchronize(ctx_, store_, mine.Serialize(), group_rank_, group_world_size_,
              "torchelastic/role_info", kShareAndGatherTimeout,
              life_.Wrap([this, next](std::variant<std::vector<std::string>, TorchrunError> r) {
                if (auto* e = std::get_if<TorchrunError>(&r)) return FailInRun(*e);
                std::vector<RoleInstanceInfo> infos;
                for (const auto& data : std::get<std::vector<std::string>>(r)) {
                  infos.push_back(RoleInstanceInfo::Deserialize(data).value_or(RoleInstanceInfo{}));
                }
                workers_ = AssignWorkerRanks(infos, group_rank_);
                ShareMasterAddress(next);
              }));
}

void ElasticAgent::ShareMasterAddress(std::function<void()> next) {
  if (!store_.connected()) return FailInRun(StoreConnectionLost());
  const bool static_backend = config_->rdzv_backend == "static";
  const bool share = SharesRendezvousStore();
  // local_elastic_agent._start_workers: the workers use the agent's store for
  // the static backend (and, in torch 2, the shared c10d store).
  use_agent_store_ = static_backend || share;
  if (share && bootstrap_) {
    // torch 2 builds the bootstrap store info once per handler.
    master_addr_ = bootstrap_->first;
    master_port_ = bootstrap_->second;
    return StartWorkers(next);
  }
  TcpStore* s = store_.store;
  if (group_rank_ == 0) {
    // 1.13 _set_master_addr_port: the static endpoint, else this host's FQDN
    // and a free port (_get_socket_with_port). torch 2 RendezvousStoreInfo.build:
    // the shared store's address and port.
    std::string addr = config_->master_addr;
    int port = config_->master_port;
    if (!static_backend) {
      addr = config_->local_addr.value_or(ctx_.address.empty() ? "localhost" : ctx_.address);
      if (share) {
        if (auto error = CreateSharedStore(&addr, &port)) {
          return FailInRun(TorchrunError::Exception("RuntimeError", *error));
        }
      } else {
        port = deps_.ports ? deps_.ports->Allocate() : 29500 + static_cast<int>(ctx_.agent_id);
      }
    }
    s->Set(store_.Key("MASTER_ADDR"), addr);
    s->Set(store_.Key("MASTER_PORT"), std::to_string(port));
  }
  const std::string addr_key = store_.Key("MASTER_ADDR");
  const std::string port_key = store_.Key("MASTER_PORT");
  s->Wait(
      store_.epoch, [s, addr_key, port_key] { return s->Get(addr_key) && s->Get(port_key); },
      kShareAndGatherTimeout,
      life_.Wrap([this, s, addr_key, port_key, next, share](TcpStore::WaitEnd end) {
        if (end != TcpStore::WaitEnd::kReady) {
          return FailInRun(end == TcpStore::WaitEnd::kTimeout ? StoreTimeout()
                                                              : StoreConnectionLost());
        }
        master_addr_ = *s->Get(addr_key);
        master_port_ = static_cast<int>(PyInt(*s->Get(port_key)).value_or(0));
        if (share) bootstrap_ = std::make_pair(master_addr_, master_port_);
        StartWorkers(next);
      }));
}

bool ElasticAgent::SharesRendezvousStore() const {
  // dynamic_rendezvous.py use_agent_store (torch 2): on unless
  // TORCH_DISABLE_SHARE_RDZV_TCP_STORE=1. torch 1.13 never shares.
  if (options_.profile.version != TorchVersion::kTorch2) return false;
  if (config_->rdzv_backend == "static") return false;
  const std::string disable = "TORCH_DISABLE_SHARE_RDZV_TCP_STORE=";
  std::string value = "0";
  for (const auto& kv : container_.env)
    if (kv.rfind(disable, 0) == 0) value = kv.substr(disable.size());
  return value != "1";
}

std::optional<std::string> ElasticAgent::CreateSharedStore(std::string* addr, int* port) {
  // _create_tcp_store_server(this node's address, port 0): a free port.
  StopSharedStore();
  *port = deps_.ports ? deps_.ports->Allocate() : 29600 + static_cast<int>(ctx_.agent_id);
  TcpStore& shared = ctx_.registry->TcpStoreAt(*addr, *port, ctx_.address);
  if (!shared.StartServer(ctx_.agent_id)) {
    return "The server socket has failed to listen on any local network address.";
  }
  std::string error;
  if (!ServeStore(ctx_, shared, *port, &error)) {
    shared.StopServer(ctx_.agent_id);
    return error;
  }
  shared_store_ = &shared;
  Record(fmt::format("shares a TCPStore with its workers at {}:{}", *addr, *port));
  return std::nullopt;
}

void ElasticAgent::StopSharedStore() {
  if (shared_store_) shared_store_->StopServer(ctx_.agent_id);
  shared_store_ = nullptr;
}

void ElasticAgent::StartWorkers(std::function<void()> next) {
  // LocalElasticAgent._start_workers.
  namespace fs = std::filesystem;
  const int restart_count = config_->max_restarts - remaining_restarts_;
  WorkerGroupInfo info;
  info.role = config_->role;
  info.local_world_size = config_->nproc_per_node;
  info.group_rank = group_rank_;
  info.group_world_size = group_world_size_;
  info.master_addr = master_addr_;
  info.master_port = master_port_;
  info.restart_count = restart_count;
  info.max_restarts = config_->max_restarts;
  info.run_id = handler_->run_id();
  info.use_agent_store = use_agent_store_;
  info.nccl_async_env = options_.profile.nccl_async_env;
  // Scaling events keep the attempt number: that attempt's logs are wiped.
  const std::string attempt_dir = fmt::format("{}/attempt_{}", log_dir_, restart_count);
  std::error_code ec;
  fs::remove_all(attempt_dir, ec);
  fs::create_directories(attempt_dir, ec);
  const bool v2 = options_.profile.version == TorchVersion::kTorch2;
  std::vector<std::string> agent_env = container_.env;
  if (config_->omp_default) agent_env.push_back("OMP_NUM_THREADS=1");
  // launch_agent (torch 2) exports the signals its PContext will handle.
  if (v2) agent_env.push_back("TORCHELASTIC_SIGNALS_TO_HANDLE=" + config_->signals_to_handle);
  const EnvMap agent_vars = EnvMapOf(agent_env);
  // _setup_local_watchdog: the FileTimerServer's pipe is named to the workers.
  std::optional<std::string> timer_file;
  if (auto on = agent_vars.find("TORCHELASTIC_ENABLE_FILE_TIMER");
      on != agent_vars.end() && on->second == "1") {
    auto f = agent_vars.find("TORCHELASTIC_TIMER_FILE");
    timer_file =
        f != agent_vars.end()
            ? f->second
            : fmt::format("{}/watchdog_timer_{}", std::filesystem::temp_directory_path(ec).string(),
                          ctx_.random.Uuid());
  }
  // _setup_healthcheck (torch 2): the open-source server starts nothing.
  if (v2) {
    if (auto port = agent_vars.find("TORCHELASTIC_HEALTH_CHECK_PORT");
        port != agent_vars.end() && PyInt(port->second)) {
      Emit(
          "WARNING:torch.distributed.elastic.agent.server.health_check_server:No health check "
          "server started");
    }
  }
  std::vector<LocalWorkerGroup::Launch> launches;
  for (const auto& w : workers_) {
    const std::string dir = fmt::format("{}/{}", attempt_dir, w.local_rank);
    fs::create_directories(dir, ec);
    LocalWorkerGroup::Launch l;
    l.error_file = dir + "/error.json";
    l.env = WorkerEnv(agent_env, info, w, l.error_file);
    std::vector<std::pair<std::string, std::string>> extra;
    if (timer_file) extra.emplace_back("TORCHELASTIC_TIMER_FILE", *timer_file);
    if (v2 && config_->virtual_local_rank) {
      auto vlr = VirtualLocalRankEnv(agent_vars, w.local_rank);
      if (auto* e = std::get_if<TorchrunError>(&vlr)) return FailInRun(*e);
      for (auto& kv : std::get<0>(vlr))
        extra.push_back(std::move(kv));
    }
    for (const auto& [name, value] : extra) {
      bool replaced = false;
      for (auto& e : l.env) {
        if (e.rfind(name + "=", 0) == 0) {
          e = name + "=" + value;
          replaced = true;
        }
      }
      if (!replaced) l.env.push_back(name + "=" + value);
    }
    if (options_.extra_worker_env) {
      for (const auto& entry : options_.extra_worker_env(w, restart_count)) {
        const std::string name = entry.substr(0, entry.find('=') + 1);
        bool replaced = false;
        for (auto& e : l.env) {
          if (e.rfind(name, 0) == 0) {
            e = entry;
            replaced = true;
          }
        }
        if (!replaced) l.env.push_back(entry);
      }
    }
    l.argv = WorkerArgv(config_->worker_argv, w.local_rank);
    launches.push_back(std::move(l));
  }
  // DefaultLogsSpecs.reify: where each rank's output goes.
  WorkerOutput::Config out;
  out.redirects = config_->redirects;
  out.tee = config_->tee;
  out.role = config_->role;
  out.attempt_dir = attempt_dir;
  out.nproc = config_->nproc_per_node;
  for (const auto& w : workers_)
    out.global_ranks.push_back(w.global_rank);
  if (v2) {
    out.local_ranks_filter = config_->local_ranks_filter;
    out.duplicate_stdout_filters = config_->duplicate_stdout_filters;
    out.prefix_template = config_->log_line_prefix_template;
  }
  output_ = std::make_unique<WorkerOutput>(std::move(out));
  LocalWorkerGroup::Options o;
  o.name = container_.name;
  o.working_dir = container_.working_dir;
  o.script = container_.script;
  o.incarnation = attempts_;
  o.worker_output = [this](int local_rank, std::string_view line) {
    if (!output_) return;
    if (auto shown = output_->Route(local_rank, line)) Emit(*shown);
  };
  group_ = std::make_unique<LocalWorkerGroup>(
      *ctx_.loop, *deps_.workers, [this](std::string_view line) { Emit(std::string(line)); },
      &next_synthetic_pid_);
  // PContext.start installs the signal handlers first (torch 2: the
  // --signals-to-handle list, with a warning for each unknown name).
  for (const auto& line : signal_warnings_)
    Emit(line);
  signal_handlers_ = true;
  ++attempts_;
  Record(fmt::format(
      "worker group started: attempt {}, restart_count {}, group_rank {}/{}, ranks {}", attempts_,
      restart_count, group_rank_, group_world_size_,
      workers_.empty()
          ? std::string("-")
          : fmt::format("{}-{}", workers_.front().global_rank, workers_.back().global_rank)));
  if (auto error = group_->Start(launches, o)) {
    // start_processes: context.close(), then the exception propagates.
    phase_ = Phase::kClosing;
    auto e = *error;
    group_->Close(SIGTERM, options_.shutdown_timeout, life_.Wrap([this, e] { FailInRun(e); }));
    return;
  }
  phase_ = Phase::kRunning;
  watch_->WorkersStarted(master_addr_, master_port_, use_agent_store_, ctx_.real_sockets);
  next();
}

void ElasticAgent::ScheduleMonitor() {
  phase_ = Phase::kRunning;
  const Duration interval = Seconds(config_->monitor_interval);
  monitor_timer_ = ctx_.loop->After(interval, life_.Wrap([this] {
    monitor_timer_ = {};
    MonitorTick();
  }));
}

void ElasticAgent::MonitorTick() {
  if (frozen_) {
    tick_pending_ = true;  // a frozen container's agent sleeps through its tick
    return;
  }
  // _monitor_workers: poll the group, all or nothing.
  std::string parse_error;
  const auto unix_now = static_cast<std::int64_t>(ctx_.UnixNow());
  LocalWorkerGroup::PollResult result = group_->Poll(unix_now, &parse_error);
  if (!parse_error.empty()) {
    return FailInRun(TorchrunError::Exception("json.decoder.JSONDecodeError", parse_error));
  }
  if (result.state == LocalWorkerGroup::State::kRunning) {
    // HEALTHY: membership changes restart the group without using a restart.
    auto waiting = handler_->NumNodesWaiting();
    if (auto* e = std::get_if<TorchrunError>(&waiting)) return FailInRun(*e);
    if (std::get<int>(waiting) > 0) return RestartWorkers(/*membership_change=*/true);
    return ScheduleMonitor();
  }
  // _poll closes the group (SIGTERM to the survivors) before reporting.
  phase_ = Phase::kClosing;
  watch_->WorkersStopped();
  group_->Close(SIGTERM, options_.shutdown_timeout, life_.Wrap([this, result] {
    if (result.state == LocalWorkerGroup::State::kFailed) {
      Emit(GroupFailureLine(result.failures, config_->entrypoint));
    }
    HandleResult(result);
  }));
}

void ElasticAgent::HandleResult(LocalWorkerGroup::PollResult result) {
  if (result.state == LocalWorkerGroup::State::kSucceeded) {
    Record(fmt::format("worker group succeeded (attempt {})", attempts_));
    return ExitBarrier(life_.Wrap([this] { FinishSucceeded(); }));
  }
  // UNHEALTHY or FAILED.
  const int first = FirstFailureRank(result.failures);
  Record(fmt::format("worker group failed: local_rank {} exitcode {}; {} restart(s) left", first,
                     result.failures.at(first).exitcode, remaining_restarts_));
  if (remaining_restarts_ > 0) {
    --remaining_restarts_;
    return RestartWorkers(/*membership_change=*/false);
  }
  auto failures = result.failures;
  ExitBarrier(life_.Wrap([this, failures] { FinishChildFailed(failures); }));
}

void ElasticAgent::RestartWorkers(bool membership_change) {
  // _restart_workers: stop, rendezvous, start.
  if (membership_change) {
    ++membership_restarts_;
    Record("nodes waiting to join: restarting the worker group (no restart used)");
  }
  phase_ = Phase::kClosing;
  watch_->WorkersStopped();
  group_->Close(SIGTERM, options_.shutdown_timeout, life_.Wrap([this] {
    InitializeWorkers(life_.Wrap([this] { ScheduleMonitor(); }));
  }));
}

void ElasticAgent::ExitBarrier(std::function<void()> next) {
  // _exit_barrier: wait for every agent of the round; a timeout is only logged.
  phase_ = Phase::kBarrier;
  barrier_start_ = ctx_.loop->Now();
  Barrier(ctx_, store_, group_rank_, group_world_size_, "torchelastic/agent/terminal_state",
          options_.exit_barrier_timeout,
          life_.Wrap([this, next](std::optional<TorchrunError> error) {
            if (error) {
              const double elapsed = ToSeconds(ctx_.loop->Now() - barrier_start_);
              Emit(fmt::format("ERROR:{}:Error waiting on exit barrier. Elapsed: {} seconds",
                               kAgentLogger, PyFloatRepr(elapsed)));
              Emit("Traceback (most recent call last):");
              Emit("  [ptsim] emulated store_util.barrier: Python frames are not available");
              Emit(error->ExceptionLine());
            }
            next();
          }));
}

bool ElasticAgent::RecordWorkerEvents(const std::map<int, ProcessFailure>& failures) {
  if (options_.profile.version != TorchVersion::kTorch2) return true;
  WorkerEventContext ec;
  ec.run_id = handler_->run_id();
  ec.role = config_->role;
  ec.hostname = ctx_.hostname;
  ec.rdzv_backend = handler_->backend();
  ec.entrypoint_name = config_->entrypoint_name;
  ec.group_rank = group_rank_;
  ec.group_world_size = group_world_size_;
  ec.restart_count = restart_count();
  ec.total_run_time = ToSeconds(ctx_.loop->Now() - run_started_);
  std::map<int, int> pids;
  for (std::size_t i = 0; group_ && i < group_->size(); ++i)
    pids[static_cast<int>(i)] = group_->Pid(static_cast<int>(i));
  auto lines = WorkerEventLines(config_->event_log_handler, ec, workers_, pids, failures);
  if (auto* e = std::get_if<TorchrunError>(&lines)) {
    // SimpleElasticAgent.run raises it after the run: torchrun fails with it.
    FailOutsideRun(*e, true);
    return false;
  }
  for (const auto& line : std::get<0>(lines))
    Emit(line);
  return true;
}

void ElasticAgent::FinishSucceeded() {
  if (!RecordWorkerEvents({})) return;
  // launch_agent returns; its finally shuts the rendezvous down.
  handler_->Shutdown();
  SetEnding(AgentEnding::Kind::kSucceeded);
  Exit(ProcessExit::Exited(0));
}

void ElasticAgent::FinishChildFailed(const std::map<int, ProcessFailure>& by_local_rank) {
  // _monitor_workers re-keys failures by global rank.
  std::map<int, ProcessFailure> failures;
  for (const auto& [local_rank, f] : by_local_rank)
    failures.emplace(workers_.at(static_cast<std::size_t>(local_rank)).global_rank, f);
  if (!RecordWorkerEvents(failures)) return;
  handler_->Shutdown();  // launch_agent's finally
  // @record: copy the root cause's error file to the launcher's.
  const ProcessFailure& root = failures.at(FirstFailureRank(failures));
  for (const auto& line : DumpRootCauseErrorFile(root, ErrorFile()))
    Emit(line);
  Emit("Traceback (most recent call last):");
  Emit(fmt::format("  [ptsim] emulated {}: Python frames are not available", plan_.prog));
  auto lines = ChildFailedErrorLines(config_->entrypoint_name, failures, ctx_.hostname);
  Emit(fmt::format("{}: {}", kChildFailedError, lines.front()));
  for (std::size_t i = 1; i < lines.size(); ++i)
    Emit(lines[i]);
  AgentEnding& ending = SetEnding(AgentEnding::Kind::kChildFailed);
  ending.failures = failures;
  for (std::size_t i = 0; i < lines.size(); ++i)
    ending.child_failed_message += (i == 0 ? "" : "\n") + lines[i];
  Exit(ProcessExit::Exited(1));
}

void ElasticAgent::PrintException(const TorchrunError& error) {
  RecordException(ErrorFile(), ShortExceptionName(error.exception), error.message,
                  "Traceback (most recent call last):\n  [ptsim] emulated torchrun\n" +
                      error.ExceptionLine() + "\n",
                  static_cast<std::int64_t>(ctx_.UnixNow()));
  for (const auto& line : error.OutputLines(plan_.prog))
    Emit(line);
}

void ElasticAgent::FailInRun(TorchrunError error) {
  // An exception inside agent.run(): its finally stops the workers, then
  // launch_agent's finally shuts the rendezvous down.
  Record("agent failed: " + error.ExceptionLine());
  phase_ = Phase::kClosing;
  watch_->WorkersStopped();
  auto finish = [this, error] { FailOutsideRun(error, true); };
  if (group_ && group_->AnyRunning()) {
    group_->Close(SIGTERM, options_.shutdown_timeout, life_.Wrap(finish));
  } else {
    finish();
  }
}

void ElasticAgent::FailOutsideRun(TorchrunError error, bool shutdown_rendezvous) {
  if (shutdown_rendezvous && handler_) handler_->Shutdown();
  PrintException(error);
  SetEnding(AgentEnding::Kind::kException).error = error;
  Exit(ProcessExit::Exited(error.ExitStatus()));
}

void ElasticAgent::FinishSignaled(int signal) {
  // launch_agent re-raises SignalException without shutting the rendezvous
  // down ("this closes the rendezvous on this rdzv_id permanently").
  const TorchrunError error = TorchrunError::Exception(
      std::string(kSignalException), fmt::format("Process {} got signal: {}", ctx_.pid, signal));
  PrintException(error);
  AgentEnding& ending = SetEnding(AgentEnding::Kind::kSignal);
  ending.error = error;
  ending.signal = signal;
  Exit(ProcessExit::Exited(1));
}

void ElasticAgent::Signal(int signal) {
  if (exit_) return;
  if (signal == SIGKILL) return Exit(ProcessExit::Signaled(SIGKILL));
  if (signal == SIGSTOP || signal == SIGCONT) {
    frozen_ = signal == SIGSTOP;
    if (group_) group_->Forward(signal);
    if (!frozen_ && tick_pending_) {
      tick_pending_ = false;
      ctx_.loop->Post(life_.Wrap([this] { MonitorTick(); }));
    }
    return;
  }
  if (signal == SIGCHLD || signal == SIGURG || signal == SIGWINCH) return;  // ignored by default
  const bool handled = handled_signals_.count(signal) > 0;
  if (!signal_handlers_ || !handled) {
    // No handler yet: Python's default SIGINT raises KeyboardInterrupt (and
    // re-kills itself with SIGINT); other signals kill the process outright.
    if (signal == SIGINT) {
      Emit("Traceback (most recent call last):");
      Emit(fmt::format("  [ptsim] emulated {}: Python frames are not available", plan_.prog));
      Emit("KeyboardInterrupt");
      if (handler_ && phase_ != Phase::kConnecting) handler_->Shutdown();
    }
    return Exit(ProcessExit::Signaled(signal));
  }
  // _terminate_process_handler raises SignalException wherever the agent is.
  if (phase_ == Phase::kSignaled) return FinishSignaled(signal);  // raised again mid-shutdown
  life_.Abandon();
  if (handler_) handler_->Abandon();
  ctx_.loop->Cancel(monitor_timer_);
  watch_->RendezvousWaitEnded();
  watch_->WorkersStopped();
  if (phase_ == Phase::kBarrier) {
    Emit(fmt::format("WARNING:{}:Got termination signal: {}", kAgentLogger, signal));
  }
  Emit(fmt::format("WARNING:{}:Received {} death signal, shutting down workers", kAgentLogger,
                   signal));
  Record(fmt::format("received {}, shutting down workers", SignalName(signal)));
  phase_ = Phase::kSignaled;
  // SimpleElasticAgent.run: _shutdown(e.sigval) closes the workers with that signal.
  if (group_) {
    group_->Close(signal, signal_shutdown_timeout_,
                  life_.Wrap([this, signal] { FinishSignaled(signal); }));
  } else {
    ctx_.loop->Post(life_.Wrap([this, signal] { FinishSignaled(signal); }));
  }
}

AgentEnding& ElasticAgent::SetEnding(AgentEnding::Kind kind) {
  ending_.emplace();
  ending_->kind = kind;
  ending_->workers = workers_;
  ending_->restart_count = restart_count();
  return *ending_;
}

void ElasticAgent::Exit(ProcessExit exit) {
  if (exit_) return;
  // A usage error (argparse) or a death by signal: no Python caller survives.
  if (!ending_ || exit.kind == ProcessExit::Kind::kSignaled) {
    SetEnding(AgentEnding::Kind::kKilled).signal = exit.Signal();
  }
  exit_ = exit;
  phase_ = Phase::kDone;
  life_.Abandon();
  ctx_.loop->Cancel(monitor_timer_);
  // The process is gone: heartbeats stop, a hosted store goes away, and the
  // container's remaining processes die with it.
  watch_->RendezvousWaitEnded();
  watch_->WorkersStopped();
  StopSharedStore();
  if (handler_) handler_->ProcessEnded();
  if (group_) group_->KillAll();
  Record(fmt::format("torchrun exited: {}", exit.Describe()));
  auto on_exit = callbacks_.on_exit;
  ctx_.loop->Post([on_exit, exit] {
    if (on_exit) on_exit(exit);
  });
}

}  // namespace ptsim::elastic
