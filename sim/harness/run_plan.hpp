// A RunPlan is everything one run needs, decoded and validated before anything
// starts: the cluster, the image mappings, the objects to create, and (for
// scenarios) faults and expectations. Building a plan never starts a process;
// a plan that has errors is never run (exit status 2). Plain data.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakes/trainer/trainer_profile.hpp"
#include "sim/core/diagnostics.hpp"
#include "sim/harness/expectation.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/harness/flyte_plan.hpp"
#include "sim/harness/image_mapping.hpp"
#include "sim/harness/planned_job.hpp"
#include "sim/harness/simulation.hpp"
#include "sim/model/operator_version.hpp"
#include "sim/model/pod.hpp"
#include "sim/model/pytorchjob.hpp"
#include "sim/model/pytorchjob_codec.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim {

// Something a user should know about a run before it starts (the operator
// profile a quoted release maps to, an image that runs on the host, a value
// upstream accepts but that is likely a typo). Printed before the run and
// kept in the report's notes.
struct PlanNote {
  std::string text;
  std::string ref;      // an upstream issue, e.g. "kubeflow/trainer#3420"; may be empty
  bool warned = false;  // also a warning of the pre-flight: printed once already
};

struct RunPlan {
  std::string name;  // the scenario's name, or the file's stem
  std::string description;
  std::string source_file;  // as given on the command line
  // The absolute directory of the file given to `ptsim run`: the working
  // directory of processes that name none and whose command line no image
  // mapping supplies.
  std::string working_dir;
  std::uint64_t seed = 1;
  Duration timeout = std::chrono::hours(1);
  std::vector<NodeConfig> nodes;
  std::vector<ImageMapping> images;  // the file's own, then the command line's
  std::vector<Pod> pods;
  std::vector<SourceLocation> pod_locations;  // where each pod was written
  // Jobs of any kind (planned_job.hpp), in the order they are written.
  std::vector<PlannedJob> jobs;
  OperatorVersion operator_version = kDefaultOperatorVersion;
  // How torchrun commands in containers run (docs/elastic.md).
  elastic::ElasticPolicy torchrun = elastic::ElasticPolicy::kAuto;
  elastic::TorchVersion torch_version = elastic::TorchVersion::kTorch1_13;
  std::vector<std::string> ignored;  // "kind/name" of documents that are not run
  std::vector<FaultSpec> faults;
  std::vector<ExpectationSpec> expectations;
  bool is_scenario = false;
  // A Flyte task (docs/flyte.md "Running a task"): its driver (flyte_run.hpp)
  // submits one attempt at a time.
  std::optional<FlytePlan> flyte;
  // Objects in `jobs` and `pods` that a driver creates during the run rather
  // than at its start (a Flyte task's attempts), as "<kind>/<name>"
  // ("PyTorchJob/<name>", "Pod/<name>"; IsDeferred in job_kind.hpp): checked like the others, and
  // faults and expectations may name them, but ExecuteRun does not create them itself.
  std::set<std::string> deferred;
  std::vector<PlanNote> notes;
  // Trainer v2 runtimes of the input (docs/trainer.md), created before the
  // jobs, and the release the TrainJob controller emulates.
  std::vector<TrainingRuntime> training_runtimes;
  std::vector<ClusterTrainingRuntime> cluster_training_runtimes;
  TrainerProfile trainer_profile;
};

// Settings from the command line that override what a file says.
struct PlanOverrides {
  std::optional<std::uint64_t> seed;
  std::optional<Duration> timeout;
  std::optional<OperatorRelease> operator_version;
  std::optional<elastic::ElasticPolicy> torchrun;
  std::optional<elastic::TorchVersion> torch_version;
  std::vector<FaultSpec> faults;  // from --fault, added to every run
  // From --image and --images, added to every run's own mappings.
  std::vector<ImageMapping> images;
  // Directories (absolute) a hostPath volume may name besides the input file's
  // own: the runs directory and each --allow-host-path (host_paths.hpp).
  std::vector<std::string> allowed_host_paths;
  std::optional<TrainerProfile> trainer_version;  // --trainer-version
};

}  // namespace ptsim
