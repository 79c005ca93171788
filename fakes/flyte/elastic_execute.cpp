#include "fakes/flyte/elastic_execute.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace ptsim::flyte {
namespace {

constexpr char kTimelineDeck[] = "Timeline";  // flytekit.deck.deck.TimeLineDeck
constexpr int kDefaultRdzvTimeout = 900;      // torch launcher api default_timeout

std::string NNodesText(const NNodes& nnodes) {
  if (const auto* n = std::get_if<int64_t>(&nnodes)) return std::to_string(*n);
  return std::get<std::string>(nnodes);
}

}  // namespace

Result<ElasticLaunchPlan> PlanElasticLaunch(const PytorchElasticFunctionTask& task,
                                            const std::map<std::string, std::string>& env,
                                            const std::string& run_id) {
  const Elastic& c = task.task_config();
  ElasticLaunchPlan plan;
  // Local multi-node runs hang in rendezvous: warn when not in a PyTorchJob.
  if (env.count("PET_NNODES") == 0 && task.min_nodes() > 1) {
    plan.warnings.push_back(
        fmt::format("`nnodes` is set to {} in elastic task but execution appears to not run in a "
                    "`PyTorchJob`. Rendezvous might timeout.",
                    NNodesText(c.nnodes)));
  }
  // torchrun's OMP default, copied by flytekit.
  if (env.count("OMP_NUM_THREADS") == 0 && c.nproc_per_node > 1) {
    std::string stars(41, '*');
    plan.warnings.push_back(
        "\n" + stars +
        "\nSetting OMP_NUM_THREADS environment variable for each process to be 1 in default, to "
        "avoid your system being overloaded, please further tune the variable for optimal "
        "performance in your application as needed. \n" +
        stars);
    plan.env_set["OMP_NUM_THREADS"] = "1";
  }
  LaunchConfig& l = plan.config;
  l.run_id = run_id;
  l.min_nodes = task.min_nodes();
  l.max_nodes = task.max_nodes();
  l.nproc_per_node = c.nproc_per_node;
  l.rdzv_backend = std::string(PytorchElasticFunctionTask::kRdzvBackend);
  l.rdzv_configs = c.rdzv_configs;
  if (l.rdzv_configs.is_object() && !l.rdzv_configs.contains("timeout")) {
    l.rdzv_configs["timeout"] = kDefaultRdzvTimeout;  // LaunchConfig.__post_init__
  }
  auto endpoint = env.find("PET_RDZV_ENDPOINT");
  l.rdzv_endpoint = endpoint == env.end() ? "localhost:0" : endpoint->second;
  l.max_restarts = c.max_restarts;
  l.monitor_interval = c.monitor_interval;
  l.start_method = c.start_method;
  if (c.start_method == "spawn") {
    plan.entrypoint = "spawn_helper";
  } else if (c.start_method == "fork") {
    plan.entrypoint = "fn_partial";
  } else {
    Diagnostics d;
    d.Error({}, "", "elastic.start_method", "Bad start method");
    return d;
  }
  return plan;
}

ElasticOutcome OutcomeOfSuccess(const std::map<int64_t, ElasticWorkerResult>& out) {
  ElasticOutcome o;
  auto rank0 = out.find(0);          // `out` is keyed by global rank; rank 0 carries the result
  if (rank0 == out.end()) return o;  // IgnoreOutputs
  o.kind = ElasticOutcome::Kind::kReturn;
  o.return_value = rank0->second.return_value;
  for (const auto& deck : rank0->second.decks) {
    if (deck != kTimelineDeck) o.decks.push_back(deck);
  }
  o.om = rank0->second.om;
  return o;
}

ElasticOutcome OutcomeOfChildFailure(const std::vector<WorkerFailure>& failures) {
  // ChildFailedError.get_first_failure: the smallest timestamp (first on ties).
  auto first = std::min_element(
      failures.begin(), failures.end(),
      [](const WorkerFailure& a, const WorkerFailure& b) { return a.timestamp < b.timestamp; });
  ElasticOutcome o;
  bool recoverable = first->recoverable_marker;  // is_recoverable_worker_error
  o.kind = recoverable ? ElasticOutcome::Kind::kRecoverableError
                       : ElasticOutcome::Kind::kUserRuntimeError;
  o.error_code = recoverable ? "USER:Recoverable" : "USER:RuntimeError";
  o.error_kind = recoverable ? "RECOVERABLE" : "NON_RECOVERABLE";
  o.timestamp = first->timestamp;
  o.failed_rank = first->global_rank;
  return o;
}

ElasticOutcome OutcomeOfSignal() {
  return ElasticOutcome{};
}

}  // namespace ptsim::flyte
