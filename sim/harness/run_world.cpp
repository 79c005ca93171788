#include "sim/harness/run_world.hpp"

#include <chrono>
#include <ostream>

#include "sim/harness/job_kind.hpp"
#include "sim/harness/trainjob_kind.hpp"

namespace ptsim {
namespace {

SimulationOptions OptionsFor(const RunPlan& plan, const RunSettings& settings) {
  SimulationOptions options;
  options.seed = plan.seed;
  options.run_dir = settings.run_dir;
  options.nodes = plan.nodes;
  options.processes = settings.processes;
  options.operator_version = plan.operator_version;
  options.trainer_profile = plan.trainer_profile;
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
  CreateTrainingRuntimes(sim_, plan_);  // a TrainJob's runtime exists before it
  for (const auto& entry : plan_.jobs) {
    if (IsDeferred(plan_, entry)) continue;  // created by the Flyte driver
    const Diagnostics created = entry.kind->Create(sim_, entry);
    if (!created.ok() && settings_.status_out) *settings_.status_out << created.Render();
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
