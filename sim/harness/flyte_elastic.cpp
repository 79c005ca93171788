#include "sim/harness/flyte_elastic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fakes/elastic/launch_config.hpp"
#include "fakes/elastic/torchrun_args.hpp"
#include "fakes/elastic/torchrun_error.hpp"
#include "fakes/flyte/elastic_execute.hpp"
#include "fakes/flyte/error_document.hpp"
#include "fakes/flyte/function_task.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/harness/flyte_attempt.hpp"

namespace ptsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kReturnFile[] = "return.json";
constexpr char kDecksDir[] = "decks";
constexpr char kFlyteLogPrefix[] = "[flytekit] ";

// "ns/pod/container".
bool SplitName(const std::string& name, std::string* ns, std::string* pod, std::string* container) {
  const auto a = name.find('/');
  if (a == std::string::npos) return false;
  const auto b = name.find('/', a + 1);
  if (b == std::string::npos) return false;
  *ns = name.substr(0, a);
  *pod = name.substr(a + 1, b - a - 1);
  *container = name.substr(b + 1);
  return true;
}

std::string Get(const elastic::EnvMap& env, const char* a, const char* b = nullptr) {
  if (auto it = env.find(a); it != env.end() && !it->second.empty()) return it->second;
  if (b != nullptr) {
    if (auto it = env.find(b); it != env.end() && !it->second.empty()) return it->second;
  }
  return "";
}

// str() of a JSON value as Python prints the dict's values.
std::string PyStr(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_null()) return "None";
  return v.dump();
}

std::string NNodesText(const flyte::NNodes& nnodes) {
  if (const auto* n = std::get_if<int64_t>(&nnodes)) return std::to_string(*n);
  return std::get<std::string>(nnodes);
}

std::string WorkerDir(const std::string& work_dir, const std::string& pod, int restart_count,
                      int global_rank) {
  return fmt::format("{}/{}/attempt_{}/rank_{}", work_dir, pod, restart_count, global_rank);
}

// The deck names a worker left, in name order.
std::vector<std::string> DeckNames(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(dir) / kDecksDir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".html") names.push_back(it->path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The outcome of a successful agent: what the worker of global rank 0 (the
// only one whose result counts) returned, read from `rank0_dir`.
flyte::ElasticOutcome SuccessOutcome(const elastic::AgentEnding& ending,
                                     const std::string& rank0_dir) {
  std::map<int64_t, flyte::ElasticWorkerResult> out;  // keyed by global rank
  for (const auto& w : ending.workers) {
    if (w.global_rank != 0) continue;
    flyte::ElasticWorkerResult result;
    std::ifstream in(fs::path(rank0_dir) / kReturnFile);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      result.return_value = json::parse(text.str(), nullptr, false);
      if (result.return_value.is_discarded()) result.return_value = text.str();
    }
    result.decks = DeckNames(rank0_dir);
    out.emplace(0, result);
  }
  return flyte::OutcomeOfSuccess(out);
}

// Copies rank 0's return value and decks to the task's outputs.
void PublishOutputs(const std::string& rank0_dir, const flyte::ElasticOutcome& outcome,
                    const std::string& outputs_dir) {
  std::error_code ec;
  fs::create_directories(fs::path(outputs_dir) / kDecksDir, ec);
  if (fs::exists(fs::path(rank0_dir) / kReturnFile, ec)) {
    fs::copy_file(fs::path(rank0_dir) / kReturnFile, fs::path(outputs_dir) / kReturnFile,
                  fs::copy_options::overwrite_existing, ec);
  }
  for (const auto& deck : outcome.decks) {
    fs::copy_file(fs::path(rank0_dir) / kDecksDir / (deck + ".html"),
                  fs::path(outputs_dir) / kDecksDir / (deck + ".html"),
                  fs::copy_options::overwrite_existing, ec);
  }
}

// The outcome of an agent whose workers failed: each failure, recoverable
// when a `recoverable_error` marker lies beside its error file
// (is_recoverable_worker_error; a worker without an error file has "<N/A>",
// whose directory is the working directory).
flyte::ElasticOutcome FailureOutcome(const elastic::AgentEnding& ending, const ProcessSpec& spec) {
  std::vector<flyte::WorkerFailure> failures;
  for (const auto& [rank, f] : ending.failures) {
    const fs::path dir = f.error_file == elastic::kNotAvailable
                             ? fs::path(spec.working_dir.empty() ? "." : spec.working_dir)
                             : fs::path(f.error_file).parent_path();
    std::error_code ec;
    failures.push_back(
        {rank, f.timestamp, f.error_file, fs::exists(dir / "recoverable_error", ec)});
  }
  return flyte::OutcomeOfChildFailure(failures);
}

}  // namespace

FlyteElasticLauncher::FlyteElasticLauncher(Simulation& sim) : sim_(sim) {}

FlyteElasticLauncher::~FlyteElasticLauncher() {
  *alive_ = false;
}

void FlyteElasticLauncher::AddJob(const std::string& ns, const std::string& job, Target target) {
  jobs_.push_back({ns, job, std::move(target)});
}

void FlyteElasticLauncher::AddPod(const std::string& ns, const std::string& pod,
                                  const std::string& container, Target target) {
  pods_.push_back({ns, pod, container, std::move(target)});
}

const FlyteElasticLauncher::Target* FlyteElasticLauncher::Find(const ProcessSpec& spec,
                                                               std::string* pod_out) const {
  std::string ns, pod, container;
  if (!SplitName(spec.name, &ns, &pod, &container)) return nullptr;
  for (const auto& p : pods_) {
    if (p.ns == ns && p.name == pod && p.container == container) {
      *pod_out = pod;
      return &p.target;
    }
  }
  for (const auto& j : jobs_) {
    const std::string prefix = j.name + "-worker-";
    if (j.ns == ns && pod.rfind(prefix, 0) == 0 && container == "pytorch") {
      *pod_out = pod;
      return &j.target;
    }
  }
  return nullptr;
}

bool FlyteElasticLauncher::Intercepts(const ProcessSpec& spec) const {
  std::string pod;
  return Find(spec, &pod) != nullptr;
}

Result<ProcessId> FlyteElasticLauncher::Spawn(const ProcessSpec& spec, Callbacks callbacks) {
  std::string pod;
  const Target* found = Find(spec, &pod);
  if (found == nullptr) {
    Diagnostics d;
    d.Error({}, spec.name, "", "not a Flyte elastic task's container");
    return d;
  }
  const Target target = *found;
  const ProcessId id = next_id_++;
  auto entry_log = std::make_shared<EntrypointLog>(spec.log_path, callbacks,
                                                   sim_.options().processes.log_policy);
  entries_[id] = Entry{{}, entry_log, false};
  const elastic::EnvMap env = elastic::EnvMapOf(spec.env);
  auto log = [entry_log](const std::string& line) {
    entry_log->file.Write(line);
    if (entry_log->callbacks.on_output) entry_log->callbacks.on_output(line);
  };
  std::weak_ptr<bool> alive = alive_;
  auto finish = [this, alive, id, spec, pod, target, callbacks](const ProcessExit& exit) {
    if (alive.expired()) return;
    Finish(id, spec, pod, target, exit, callbacks);
  };

  // PytorchElasticFunctionTask._execute: the launch config, env and warnings.
  auto task = flyte::PytorchElasticFunctionTask::Create(target.config);
  // The run id is current_context().execution_id.name: the execution's name.
  std::string run_id = Get(env, "FLYTE_INTERNAL_EXECUTION_ID", "_F_NM");
  std::map<std::string, std::string> env_map(env.begin(), env.end());
  auto launch = task.ok() ? flyte::PlanElasticLaunch(task.value(), env_map, run_id)
                          : Result<flyte::ElasticLaunchPlan>(task.diagnostics());
  if (!launch.ok()) {
    // "Bad start method": a ValueError out of the task, caught by
    // _dispatch_execute; the process ends normally.
    log("ValueError: " + launch.diagnostics().items().front().message);
    sim_.loop().Post([finish] { finish(ProcessExit::Exited(0)); });
    return id;
  }
  for (const auto& w : launch->warnings)
    log(kFlyteLogPrefix + w);

  elastic::FlyteElasticValues v;
  v.nnodes = NNodesText(target.config.nnodes);
  v.nproc_per_node = static_cast<int>(target.config.nproc_per_node);
  v.start_method = target.config.start_method;
  v.monitor_interval = static_cast<int>(target.config.monitor_interval);
  v.max_restarts = static_cast<int>(target.config.max_restarts);
  v.rdzv_configs.clear();
  if (target.config.rdzv_configs.is_object()) {
    for (const auto& [k, value] : target.config.rdzv_configs.items())
      v.rdzv_configs.emplace_back(k, PyStr(value));
  }
  v.run_id = run_id;
  v.entrypoint_name = launch->entrypoint;
  v.worker_argv = spec.argv;
  elastic::LaunchPlan plan = elastic::PlanFlyteElastic(v, env);

  elastic::ElasticAgentOptions agent = sim_.elastic().options().agent;
  agent.extra_worker_env = [work_dir = target.work_dir, pod](const elastic::WorkerRanks& w,
                                                             int restart_count) {
    // A fresh directory per worker and attempt: its ElasticWorkerResult.
    const std::string dir = WorkerDir(work_dir, pod, restart_count, w.global_rank);
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    return std::vector<std::string>{std::string(kFlyteOutputDirEnv) + "=" + dir};
  };
  Callbacks wrapped;
  wrapped.on_output = callbacks.on_output;
  wrapped.on_exit = finish;
  entries_[id].agent =
      sim_.elastic().SpawnPlanned(spec, std::move(plan), std::move(agent), std::move(wrapped));
  return id;
}

void FlyteElasticLauncher::Finish(ProcessId id, const ProcessSpec& spec, const std::string& pod,
                                  const Target& target, const ProcessExit& exit,
                                  const Callbacks& callbacks) {
  Entry& entry = entries_[id];
  entry.done = true;
  const elastic::EnvMap env = elastic::EnvMapOf(spec.env);
  auto log = [&](const std::string& line) {
    entry.log->file.Write(line);
    if (callbacks.on_output) callbacks.on_output(line);
  };
  const double now = ToSeconds(sim_.loop().Now());
  // Error documents carry Unix times, like the workers' own error files.
  const double unix_now = sim_.elastic().options().epoch_seconds + now;
  // _build_error_file_name / _get_worker_name.
  const bool distributed = !Get(env, "FLYTE_INTERNAL_DIST_ERROR_STRATEGY", "_F_DES").empty();
  const std::string worker =
      distributed ? Get(env, "FLYTE_INTERNAL_WORKER_NAME", "_F_WN") : std::string();
  PodResult r;
  r.pod = pod;
  r.at = now;
  auto write_error = [&](const flyte::ContainerError& error) {
    Random random = sim_.random().Fork(fmt::format("flyte-error#{}#{}", spec.name, id));
    std::string hex = random.Uuid();
    hex.erase(std::remove(hex.begin(), hex.end(), '-'), hex.end());
    const std::string name = flyte::ErrorFileName(distributed, hex);
    std::error_code ec;
    fs::create_directories(target.outputs_dir, ec);
    const std::optional<std::string> failed = WriteFileAtomically(
        (fs::path(target.outputs_dir) / name).string(), error.ToJson().dump(2) + "\n");
    // flytekit would raise here; the container's log says why the error
    // document is missing.
    if (failed) log(*failed);
    r.outcome = "error";
    r.error_file = name;
    r.detail = error.code;
    log("!! Begin User Error Captured by Flyte !!");
    log(error.message);
    log("!! End Error Captured by Flyte !!");
  };

  ProcessExit reported = ProcessExit::Exited(0);
  const elastic::ElasticAgent* agent = entry.agent ? sim_.elastic().agent(*entry.agent) : nullptr;
  const std::optional<elastic::AgentEnding> ending =
      agent ? agent->ending() : std::optional<elastic::AgentEnding>();
  if (!entry.agent) {
    // The task raised before launching (a bad start method).
    write_error(flyte::UserExceptionDocument("ValueError", "ValueError", "Bad start method",
                                             unix_now, worker));
  } else if (!ending || ending->kind == elastic::AgentEnding::Kind::kKilled) {
    r.outcome = "killed";
    r.detail = exit.Describe();
    reported = exit;
  } else {
    switch (ending->kind) {
      case elastic::AgentEnding::Kind::kSucceeded: {
        const std::string rank0_dir = WorkerDir(target.work_dir, pod, ending->restart_count, 0);
        const flyte::ElasticOutcome outcome = SuccessOutcome(*ending, rank0_dir);
        if (outcome.kind != flyte::ElasticOutcome::Kind::kReturn) {
          // _dispatch_execute: FlyteUserRuntimeException(IgnoreOutputs()).
          log("User-scoped IgnoreOutputs received! Outputs.pb will not be uploaded. reason "
              "USER:RuntimeError: error=!!");
          r.outcome = "ignoreOutputs";
          break;
        }
        PublishOutputs(rank0_dir, outcome, target.outputs_dir);
        r.outcome = "return";
        break;
      }
      case elastic::AgentEnding::Kind::kChildFailed:
        write_error(flyte::ElasticErrorDocument(FailureOutcome(*ending, spec),
                                                ending->child_failed_message, worker));
        break;
      case elastic::AgentEnding::Kind::kSignal:
        log(fmt::format("Elastic launch agent process terminating: {}",
                        ending->error ? ending->error->message : std::string()));
        r.outcome = "ignoreOutputs";
        r.detail = "SignalException";
        break;
      case elastic::AgentEnding::Kind::kException: {
        const elastic::TorchrunError& e = *ending->error;
        write_error(flyte::UserExceptionDocument(
            e.exception, elastic::ShortExceptionName(e.exception), e.message, unix_now, worker));
        break;
      }
      case elastic::AgentEnding::Kind::kKilled:
        break;
    }
  }
  results_.push_back(r);
  if (callbacks.on_exit) callbacks.on_exit(reported);
}

void FlyteElasticLauncher::Signal(ProcessId id, int signal) {
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.done || !it->second.agent) return;
  sim_.elastic().Signal(*it->second.agent, signal);
}

bool FlyteElasticLauncher::Running(ProcessId id) const {
  auto it = entries_.find(id);
  return it != entries_.end() && !it->second.done;
}

}  // namespace ptsim
