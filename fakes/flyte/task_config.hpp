// The task_config dataclasses of flytekitplugins.kfpytorch (task.py): Worker,
// Master, PyTorch (a PyTorchJob with a Master) and Elastic (torchrun, in one
// pod or a PyTorchJob), plus ElasticWorkerResult. Fields and defaults are
// flytekit's; std::nullopt stands for Python's None.
//
// These are plain values: building one never fails. flytekit validates when a
// task is created from a config (function_task.hpp), and so do we. Plain data;
// any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/policies.hpp"
#include "fakes/flyte/resources.hpp"

namespace ptsim::flyte {

struct Worker {
  std::optional<std::string> image{};
  std::optional<Resources> requests{};
  std::optional<Resources> limits{};
  std::optional<int64_t> replicas{};
  std::optional<RestartPolicy> restart_policy{};
};

// Master has no `replicas`: it always has exactly one.
struct Master {
  std::optional<std::string> image{};
  std::optional<Resources> requests{};
  std::optional<Resources> limits{};
  std::optional<RestartPolicy> restart_policy{};
};

struct PyTorch {
  Master master{};
  Worker worker{};
  std::optional<RunPolicy> run_policy{};
  // Deprecated v0 field kept for backwards compatibility; use worker.replicas.
  std::optional<int64_t> num_workers{};
  // Deprecated; use the task's shared_memory.
  bool increase_shared_mem = true;
};

// Elastic.nnodes: an int, or a string "<min>:<max>" (or any other text, which
// fails when the task is created). Python floats and bools arrive here as
// their str() text, which is what flytekit's int() parse then sees.
using NNodes = std::variant<int64_t, std::string>;

struct Elastic {
  NNodes nnodes = int64_t{1};
  int64_t nproc_per_node = 1;
  std::string start_method = "spawn";
  int64_t monitor_interval = 5;
  int64_t max_restarts = 0;
  nlohmann::json rdzv_configs = {{"timeout", 900}, {"join_timeout", 900}};
  // Deprecated; use the task's shared_memory.
  bool increase_shared_mem = true;
  std::optional<RunPolicy> run_policy{};
};

// What each elastic worker process hands back to the launching agent; only
// global rank 0's result survives (task.py ElasticWorkerResult).
struct ElasticWorkerResult {
  nlohmann::json return_value{};
  std::vector<std::string> decks{};    // deck names
  std::optional<nlohmann::json> om{};  // output metadata
};

// Either kind of task_config.
using TaskConfig = std::variant<PyTorch, Elastic>;

}  // namespace ptsim::flyte
