// The objects one run is made of, wired to one Simulation in a fixed order
// (watchers run in registration order, so the order is part of the run's
// determinism): the RunRecorder, the pod journal, the FaultInjector, the
// human Timeline, the plan's notes, the Flyte driver and the live status
// line. Start() creates the plan's objects and starts the faults and the
// driver. RunWorld owns all of them; the plan and the streams in the settings
// must outlive it. Loop thread only.
#pragma once

#include <memory>
#include <vector>

#include "sim/harness/fault_injector.hpp"
#include "sim/harness/flyte_run.hpp"
#include "sim/harness/live_status.hpp"
#include "sim/harness/pod_journal.hpp"
#include "sim/harness/run.hpp"
#include "sim/harness/run_recorder.hpp"
#include "sim/harness/timeline.hpp"

namespace ptsim {

class RunWorld {
 public:
  RunWorld(const RunPlan& plan, const RunSettings& settings);
  RunWorld(const RunWorld&) = delete;
  RunWorld& operator=(const RunWorld&) = delete;

  // Creates the plan's pods and jobs (not those a driver creates), says what
  // failed on the status stream, then starts the faults and the driver.
  void Start();

  const RunPlan& plan() const { return plan_; }
  const RunSettings& settings() const { return settings_; }
  Simulation& sim() { return sim_; }
  RunRecorder& recorder() { return recorder_; }
  FaultInjector& faults() { return *faults_; }
  FlyteRun* flyte() { return flyte_.get(); }  // null without a Flyte task
  Timeline* timeline() { return timeline_.get(); }
  // The pods the run created itself, as created.
  const std::vector<std::shared_ptr<const Pod>>& bare_pods() const { return bare_pods_; }

  // Clears the live status line, if one is drawn.
  void ClearLiveStatus();
  // Clears the live status line for good.
  void StopLiveStatus();

 private:
  void CreatePods();
  void CreateJobs();

  const RunPlan& plan_;
  const RunSettings& settings_;
  Simulation sim_;
  RunRecorder recorder_;
  std::unique_ptr<PodJournal> journal_;
  std::unique_ptr<FaultInjector> faults_;
  std::unique_ptr<Timeline> timeline_;
  std::unique_ptr<FlyteRun> flyte_;
  std::unique_ptr<LiveStatus> live_;
  std::vector<std::shared_ptr<const Pod>> bare_pods_;
};

}  // namespace ptsim
