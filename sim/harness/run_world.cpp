#include "sim/harness/run_world.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ostream>

namespace ptsim {
namespace {

SimulationOptions OptionsFor(const RunPlan& plan, const RunSettings& settings) {
  SimulationOptions options;
  options.seed = plan.seed;
  options.run_dir = settings.run_dir;
  options.nodes = plan.nodes;
  options.processes = settings.processes;
  options.operator_version = plan.operator_version;
  options.elastic_policy = plan.torchrun;
  options.torch_version = plan.torch_version;
  options.name = plan.name;
  options.processes.working_dir = plan.working_dir;
  // Real workers stamp failures with the real time (torch error files).
  const auto start = std::chrono::system_clock::now();  // wall-clock-ok: Unix time of virtual 0
  options.unix_epoch_seconds = std::chrono::duration<double>(start.time_since_epoch()).count();
  return options;
}

}  // namespace

RunWorld::RunWorld(const RunPlan& plan, const RunSettings& settings)
    : plan_(plan), settings_(settings), sim_(OptionsFor(plan, settings)), recorder_(sim_.api()) {
  for (const auto& mapping : plan.images)
    sim_.images().Add(mapping.ref, mapping.spec);
  sim_.AddObserver(&recorder_);
  if (!settings.run_dir.empty())
    journal_ = std::make_unique<PodJournal>(sim_.api(), settings.run_dir + "/pods.jsonl");
  faults_ = std::make_unique<FaultInjector>(sim_, plan.faults);
  if (settings.timeline_out)
    timeline_ = std::make_unique<Timeline>(sim_, *settings.timeline_out, settings.color);
  for (const auto& note : plan.notes)
    sim_.notes().Add(sim_.loop().Now(), note.text, note.ref);
  // A Flyte task's driver submits its attempts (flyte_run.hpp).
  if (plan.flyte) {
    FlyteRun::Options flyte_options;
    flyte_options.run_dir = settings.run_dir;
    flyte_options.timeline = settings.timeline_out;
    flyte_ = std::make_unique<FlyteRun>(sim_, plan, flyte_options);
  }
  if (settings.live && settings.status_out)
    live_ = std::make_unique<LiveStatus>(sim_.api(), *settings.status_out, plan.name);
}

void RunWorld::Start() {
  CreatePods();
  CreateJobs();
  faults_->Start();
  if (flyte_) flyte_->Start();
}

void RunWorld::CreatePods() {
  for (const auto& pod : plan_.pods) {
    if (plan_.deferred.count("Pod/" + pod.metadata.name)) continue;  // created by the Flyte driver
    auto created = sim_.api().collection<Pod>().Create(pod);
    if (created.ok()) bare_pods_.push_back(*created);
    if (!created.ok() && settings_.status_out)
      *settings_.status_out << created.diagnostics().Render();
  }
}

void RunWorld::CreateJobs() {
  for (const auto& entry : plan_.jobs) {
    if (plan_.deferred.count("PyTorchJob/" + entry.job.metadata.name)) continue;
    auto created = sim_.api().collection<PyTorchJob>().Create(entry.job);
    if (!created.ok() && settings_.status_out)
      *settings_.status_out << created.diagnostics().Render();
    const auto& specs = entry.job.spec.pytorch_replica_specs;
    if (specs && !specs->count(kReplicaTypeMaster) && !entry.job.spec.elastic_policy) {
      sim_.notes().Add(
          sim_.loop().Now(),
          fmt::format("PyTorchJob {} has no Master and no elasticPolicy: the operator sets no "
                      "MASTER_ADDR, MASTER_PORT, WORLD_SIZE or RANK in its pods",
                      entry.job.metadata.name),
          "kubeflow/training-operator#1991");
    }
  }
}

void RunWorld::ClearLiveStatus() {
  if (live_) live_->Clear();
}

void RunWorld::StopLiveStatus() {
  ClearLiveStatus();
  live_.reset();
}

}  // namespace ptsim
