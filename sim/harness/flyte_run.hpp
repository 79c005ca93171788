// flytepropeller, for one task node: the Flyte driver of a run whose plan
// has a Flyte task (flyte_plan.hpp). It submits attempt 0's object
// (launchResource: the phase becomes Queued "task submitted to K8s"), then
// runs a round of the k8s plugin manager whenever the attempt's object
// changes and every resync period (30s): GetTaskPhase for a PyTorchJob
// (fakes/flyte phase.hpp), DemystifyPodStatus for a pod (pod_task.hpp); an
// object gone or deleted under a running task is a SYSTEM retryable failure
// (ResourceDeletedExternally, UnexpectedObjectDeletion). A Success reads the
// attempt's output prefix: an error document there turns it into a
// retryable (RECOVERABLE) or permanent failure; else the return value and
// decks are the task's outputs. A retryable failure is retried under the
// next generated name while the node's retry rules allow (node_retry.hpp),
// else the task fails with RetriesExhausted|<code>. Failed attempts' objects
// are left as they are (delete-resource-on-finalize is off by default).
//
// Each attempt's processes get PTSIM_FLYTE_OUTPUT_DIR (its output prefix);
// Elastic tasks run flytekit's elastic launch in their pods
// (flyte_elastic.hpp). Report() is the report's "flyte" object
// (docs/flyte.md "The report"). Loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/node_retry.hpp"
#include "fakes/flyte/phase.hpp"
#include "sim/harness/flyte_attempt.hpp"
#include "sim/harness/flyte_elastic.hpp"
#include "sim/harness/run_plan.hpp"
#include "sim/harness/simulation.hpp"

namespace ptsim {

class FlyteRun {
 public:
  struct Options {
    std::string run_dir;                         // outputs go to <run_dir>/flyte/<generated name>/
    std::ostream* timeline = nullptr;            // phase changes, as they happen
    Duration resync = std::chrono::seconds(30);  // flytepropeller's round period
  };

  // REQUIRES: plan.flyte. `sim` and `plan` outlive this object.
  FlyteRun(Simulation& sim, const RunPlan& plan, Options options);
  ~FlyteRun();
  FlyteRun(const FlyteRun&) = delete;
  FlyteRun& operator=(const FlyteRun&) = delete;

  // Submits attempt 0.
  void Start();
  // The task has ended (or was aborted) and every object it created has
  // finished: jobs settled, pods terminal or deleting.
  bool Finished() const;
  // The run was interrupted: no further rounds or attempts.
  void Abort(const std::string& reason);

  // The report's "flyte" object.
  nlohmann::json Report() const;
  // The spec of a job this run submitted, as submitted; null when none.
  nlohmann::json SubmittedSpec(const std::string& ns, const std::string& name) const;

 private:
  struct PhaseEntry {
    int64_t attempt = 0;
    std::string phase;  // "Queued", "Running", ... (flyteplugins Phase without its prefix)
    uint32_t version = 0;
    double at = 0;
    std::string reason;
    std::optional<flyte::ExecutionError> error;
  };
  struct Attempt {
    int64_t number = 0;
    std::string kind;  // "PyTorchJob" or "Pod"
    std::string name;
    std::string ns;
    std::string uid;
    std::string primary_container;
    nlohmann::json manifest;
    std::string outputs_dir;
    double submitted_at = 0;
    std::optional<double> ended_at;
    std::string phase = "Undefined";  // the last phase flyteadmin recorded
    uint32_t recorded_version = 0;    // ... and its version
    std::optional<flyte::ExecutionError> error;
    nlohmann::json error_document;  // the document read, or null
    nlohmann::json return_value;
    nlohmann::json decks = nlohmann::json::array();
    nlohmann::json log_links = nlohmann::json::array();
    flyte::PluginState state;
  };

  void Submit(int64_t number);
  // The object the plan prepared for attempt `number`, if it did.
  std::optional<FlyteAttemptObject> PreparedAttempt(int64_t number) const;
  // Creates the attempt's job or pod; sets `uid` when it was created.
  Diagnostics CreateAttempt(const FlyteAttemptObject& object, std::string* uid);
  void Round();
  void ScheduleRound();
  // Notes (once per pair) when whole-second condition times, as flytepropeller
  // reads them on a cluster, would pick another current condition than
  // ptsim's full-precision times do. `job` as GetTaskPhase reads it.
  void NoteWholeSecondTie(const std::string& name, const nlohmann::json& job);
  void Observe(const flyte::PhaseInfo& info);
  void Record(const flyte::PhaseInfo& info);
  void Ended(const flyte::PhaseInfo& info);
  void Fail(const flyte::ExecutionError& error, int64_t attempt);
  // Reads the output prefix after a Success: the phase it becomes.
  flyte::PhaseInfo ReadOutputs(Attempt* attempt, flyte::PhaseInfo success);
  void Line(const std::string& text);

  Simulation& sim_;
  const RunPlan& plan_;
  const FlytePlan& flyte_;
  Options options_;
  FlyteElasticLauncher launcher_;
  std::vector<Attempt> attempts_;
  std::vector<PhaseEntry> phases_;
  nlohmann::json round_errors_ = nlohmann::json::array();
  flyte::NodeAttempts node_;
  bool ended_ = false;
  std::string final_phase_ = "Undefined";
  std::optional<flyte::ExecutionError> final_error_;
  EventLoop::TimerId round_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace ptsim
