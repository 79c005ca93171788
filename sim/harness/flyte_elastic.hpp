// flytekit's elastic task inside a pod: a CommandInterceptor that runs the
// container of a Flyte Elastic task the way pyflyte-execute runs
// PytorchElasticFunctionTask._execute (flytekitplugins/kfpytorch/task.py)
// inside _dispatch_execute (flytekit/bin/entrypoint.py).
//
// The container's command is the user's worker program. In its place:
// 1. flytekit's launch decisions (fakes/flyte elastic_execute.hpp
//    PlanElasticLaunch): its warnings go to the container's log; a bad start
//    method is a ValueError.
// 2. The emulated torch elastic agent (fakes/elastic, PlanFlyteElastic:
//    c10d rendezvous at PET_RDZV_ENDPOINT or localhost:0, run id = the
//    execution name, OMP_NUM_THREADS=1 for nproc_per_node > 1 when unset)
//    starts nproc_per_node workers running the program. Each worker gets its
//    own PTSIM_FLYTE_OUTPUT_DIR (<work dir>/<pod>/attempt_<restart>/rank_<global
//    rank>) to leave return.json and decks/<name>.html in, as a worker's
//    ElasticWorkerResult.
// 3. How elastic_launch ended decides, as flytekit does (OutcomeOf*):
//    success -> the pod hosting global rank 0 copies that worker's return
//    value and decks (not the "Timeline" deck) to the attempt's output
//    prefix; other pods ignore their outputs; ChildFailedError -> the
//    earliest failure decides between USER:Recoverable (a
//    "recoverable_error" marker beside its error file) and
//    USER:RuntimeError; SignalException -> IgnoreOutputs (logged); any other
//    exception -> USER:RuntimeError. Errors become an error document in the
//    output prefix (error.json, or error-<uuid>.json with _F_DES), and the
//    container exits 0: pyflyte-execute reports task errors through the
//    document, not its exit code. A container killed outright (SIGKILL, or
//    a signal before torch's handlers) dies of it.
// Loop thread only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/task_config.hpp"
#include "fakes/process/command_interceptor.hpp"
#include "fakes/process/container_line_log.hpp"
#include "sim/harness/simulation.hpp"

namespace ptsim {

class FlyteElasticLauncher final : public CommandInterceptor {
 public:
  struct Target {
    flyte::Elastic config;
    std::string outputs_dir;  // the attempt's output prefix
    std::string work_dir;     // the workers' own output directories go under it
  };
  // What flytekit did in one pod, for the report.
  struct PodResult {
    std::string pod;
    double at = 0;           // virtual seconds
    std::string outcome;     // "return", "ignoreOutputs", "error", "killed"
    std::string error_file;  // for "error": the document written
    std::string detail;      // e.g. the exception line
  };

  explicit FlyteElasticLauncher(Simulation& sim);
  ~FlyteElasticLauncher() override;

  // The pods `<job>-worker-<i>` of a PyTorchJob (container "pytorch").
  void AddJob(const std::string& ns, const std::string& job, Target target);
  // One pod (a python-task), its container `container`.
  void AddPod(const std::string& ns, const std::string& pod, const std::string& container,
              Target target);

  bool Intercepts(const ProcessSpec& spec) const override;
  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override;
  void Signal(ProcessId id, int signal) override;
  bool Running(ProcessId id) const override;
  int Pid(ProcessId) const override { return 0; }

  const std::vector<PodResult>& results() const { return results_; }

 private:
  // The container's log as the Flyte entrypoint writes it (before the agent
  // starts and after it ends), with the callbacks it reports failures to.
  struct EntrypointLog {
    EntrypointLog(const std::string& path, Callbacks c, ContainerLogPolicy policy)
        : callbacks(std::move(c)), file(path, callbacks, policy) {}
    Callbacks callbacks;
    ContainerLineLog file;
  };
  struct Entry {
    std::optional<ProcessId> agent;  // the elastic runner's id
    std::shared_ptr<EntrypointLog> log;
    bool done = false;
  };
  const Target* Find(const ProcessSpec& spec, std::string* pod) const;
  void Finish(ProcessId id, const ProcessSpec& spec, const std::string& pod, const Target& target,
              const ProcessExit& exit, const Callbacks& callbacks);

  Simulation& sim_;
  struct Job {
    std::string ns;
    std::string name;
    Target target;
  };
  std::vector<Job> jobs_;
  struct Pod {
    std::string ns;
    std::string name;
    std::string container;
    Target target;
  };
  std::vector<Pod> pods_;
  ProcessId next_id_ = 1;
  std::map<ProcessId, Entry> entries_;
  std::vector<PodResult> results_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace ptsim
