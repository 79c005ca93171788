// JobKind: what the harness needs of one kind of top-level job, so that plans,
// the runner, the recorder, the report, faults and expectations work with
// jobs of any kind. PyTorchJob (pytorchjob_kind.hpp) is the one kind today;
// adding one (a TrainJob, a JobSet, a batch/v1 Job) is an implementation of
// this interface, its line in JobKinds() (job_kinds.cpp) and its fake
// controller in the Simulation. Implementations are stateless singletons;
// their methods touching a Simulation or ApiServer run on its loop thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/harness/planned_job.hpp"
#include "sim/harness/run_plan.hpp"
#include "sim/model/job_condition.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

// A pod template of a job, as written: what the pre-flight checks.
struct JobPodTemplate {
  std::string field;  // its field path: "spec.pytorchReplicaSpecs[Master].template"
  const PodTemplateSpec* pod_template = nullptr;  // into the PlannedJob's object
};

// An edit a job-level fault makes, as `kubectl patch` would.
struct JobPatch {
  std::optional<bool> suspend;  // suspend (true) or resume (false)
  std::string replica_type;     // with `replicas`: the replica type to scale
  std::optional<int> replicas;
};

class JobKind {
 public:
  virtual ~JobKind() = default;

  virtual std::string_view kind() const = 0;         // "PyTorchJob"
  virtual std::string_view api_version() const = 0;  // "kubeflow.org/v1"

  // Plans: decodes and validates one document of this kind, as the API
  // server and the emulated release's webhook would; errors and warnings go
  // to ctx, what the user should know before the run to `notes`.
  virtual PlannedJob Decode(DecodeContext& ctx, const YAML::Node& document, OperatorVersion version,
                            std::vector<PlanNote>* notes) const = 0;
  virtual std::vector<JobPodTemplate> PodTemplates(const PlannedJob& job) const = 0;

  // The runner: creates the job (noting what the user should know of it);
  // whether it has finished and settled (cleanup and TTL deletion done or
  // impossible); every job of this kind now; deletes one (on interrupt).
  virtual Diagnostics Create(Simulation& sim, const PlannedJob& job) const = 0;
  virtual bool Settled(Simulation& sim, const std::string& ns, const std::string& name) const = 0;
  virtual std::vector<AnyJob> List(Simulation& sim) const = 0;
  virtual void Delete(Simulation& sim, const AnyJob& job) const = 0;

  // The recorder and the timeline: every watch event of this kind, in the
  // API server's order, with the previous state of a modified job (else an
  // empty AnyJob).
  using WatchFn = std::function<void(const AnyJob& job, const AnyJob& old, bool deleted)>;
  virtual void Watch(ApiServer& api, WatchFn on_change) const = 0;

  // The report and job-level expectations: the job's conditions as
  // JobConditions, and its `status` as the report shows it (docs/report.md).
  virtual std::vector<JobCondition> Conditions(const AnyJob& job) const = 0;
  virtual nlohmann::json StatusJson(const AnyJob& job) const = 0;

  // Job-level faults: applies `patch` as an update the API server's schema
  // and the emulated release's webhook admit; "" when stored, else why it was
  // rejected.
  virtual std::string Patch(Simulation& sim, const AnyJob& job, const JobPatch& patch) const = 0;
  std::string Suspend(Simulation& sim, const AnyJob& job) const;
  std::string Resume(Simulation& sim, const AnyJob& job) const;
  std::string Scale(Simulation& sim, const AnyJob& job, const std::string& replica_type,
                    int replicas) const;
};

// Every job kind ptsim runs, in a fixed order (watches are registered in it).
const std::vector<const JobKind*>& JobKinds();
// The kind of that apiVersion and kind, or null.
const JobKind* FindJobKind(std::string_view api_version, std::string_view kind);

// `PyTorchJob "mnist"`: the job as diagnostics and notes name it.
std::string JobLabel(const PlannedJob& job);
// The plan's job of that kind, namespace and name: the first one written,
// the one the API server accepts (a later one with its key is AlreadyExists);
// null when none. How a recorded job finds its plan entry (never by position).
const PlannedJob* FindPlannedJob(const RunPlan& plan, const JobKind& kind, const std::string& ns,
                                 const std::string& name);
// Whether the plan's driver (a Flyte task) creates the job rather than the run.
bool IsDeferred(const RunPlan& plan, const PlannedJob& job);

}  // namespace ptsim
