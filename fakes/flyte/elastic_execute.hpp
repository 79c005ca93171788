// The decisions PytorchElasticFunctionTask._execute (kfpytorch/task.py) makes
// inside each pod, as pure functions for the simulator to drive: the torch
// LaunchConfig it builds, the environment it changes and the warnings it
// logs (PlanElasticLaunch), and what becomes of the launch's result
// (OutcomeOf*): rank 0's return value and decks, IgnoreOutputs for every
// other pod and on SIGTERM, and for a ChildFailedError the first failure by
// timestamp deciding between FlyteRecoverableException ("USER:Recoverable")
// and FlyteUserRuntimeException ("USER:RuntimeError").
//
// The processes themselves (rendezvous, worker restarts) are the elastic
// agent's business (fakes/elastic). Plain functions; any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/function_task.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

// torch.distributed.launcher.api.LaunchConfig as flytekit fills it.
struct LaunchConfig {
  std::string run_id{};  // the Flyte execution name ("local" in local runs)
  int64_t min_nodes = 1;
  int64_t max_nodes = 1;
  int64_t nproc_per_node = 1;
  std::string rdzv_backend = "c10d";
  nlohmann::json rdzv_configs{};  // after __post_init__ added "timeout" when missing
  std::string rdzv_endpoint{};    // PET_RDZV_ENDPOINT, else "localhost:0"
  int64_t max_restarts = 0;
  int64_t monitor_interval = 5;
  std::string start_method{};
};

struct ElasticLaunchPlan {
  LaunchConfig config{};
  std::map<std::string, std::string> env_set{};  // OMP_NUM_THREADS=1 when torchrun would
  std::vector<std::string> warnings{};           // logger.warning texts, in order
  std::string entrypoint{};                      // "spawn_helper" or "fn_partial"
};

// `env` is the pod's environment. Fails with "Bad start method" for start
// methods other than "spawn" and "fork".
Result<ElasticLaunchPlan> PlanElasticLaunch(const PytorchElasticFunctionTask& task,
                                            const std::map<std::string, std::string>& env,
                                            const std::string& run_id);

// One failed worker process as torch reports it.
struct WorkerFailure {
  int64_t global_rank = 0;
  int64_t timestamp = 0;            // seconds, from the error file or the failure time
  std::string error_file{};         // "<N/A>" when the worker wrote none
  bool recoverable_marker = false;  // a "recoverable_error" file beside error_file
};

struct ElasticOutcome {
  enum class Kind { kReturn, kIgnoreOutputs, kRecoverableError, kUserRuntimeError };
  Kind kind = Kind::kIgnoreOutputs;
  nlohmann::json return_value{};
  std::vector<std::string> decks{};  // rank 0's decks, TimeLineDeck removed
  std::optional<nlohmann::json> om{};
  // For the error kinds: the ErrorDocument code/kind and the first failure.
  std::string error_code{};  // "USER:Recoverable" or "USER:RuntimeError"
  std::string error_kind{};  // "RECOVERABLE" or "NON_RECOVERABLE"
  int64_t timestamp = 0;
  int64_t failed_rank = 0;
};

// elastic_launch returned `out` (global rank -> result).
ElasticOutcome OutcomeOfSuccess(const std::map<int64_t, ElasticWorkerResult>& out);
// elastic_launch raised ChildFailedError. REQUIRES: `failures` non-empty.
ElasticOutcome OutcomeOfChildFailure(const std::vector<WorkerFailure>& failures);
// elastic_launch raised SignalException (the agent got SIGTERM and friends).
ElasticOutcome OutcomeOfSignal();

}  // namespace ptsim::flyte
