#include "sim/harness/run.hpp"

#include "sim/harness/report_builder.hpp"
#include "sim/harness/run_interrupts.hpp"
#include "sim/harness/run_to_end.hpp"
#include "sim/harness/run_world.hpp"

namespace ptsim {
namespace {

// What the run recorded, for BuildReport.
RunRecord RecordOf(RunWorld& world, RunOutcome outcome, int interrupt_signal, Time end) {
  Simulation& sim = world.sim();
  RunRecord record;
  record.plan = &world.plan();
  record.recorder = &world.recorder();
  record.notes = sim.notes().list();
  record.nodes = sim.api().collection<Node>().List();
  record.events = &sim.api().events().list();
  record.faults = world.faults().Report();
  if (FlyteRun* flyte = world.flyte()) {
    record.flyte = flyte->Report();
    // A Flyte run's jobs are its attempts, created in whatever order they came.
    record.submitted_spec = [flyte](const std::string& ns, const std::string& name) {
      return flyte->SubmittedSpec(ns, name);
    };
  }
  record.outcome = outcome;
  record.interrupt_signal = interrupt_signal;
  record.end = end;
  record.trace_digest = sim.trace().Digest();
  record.run_dir = world.settings().run_dir;
  return record;
}

}  // namespace

RunResult ExecuteRun(const RunPlan& plan, const RunSettings& settings) {
  const Duration wall_start = SteadyWallClock().Now();
  RunWorld world(plan, settings);
  RunInterrupts interrupts(world);
  if (settings.handle_interrupts) interrupts.Watch();
  world.Start();
  const RunOutcome outcome = RunToEnd(world, interrupts);
  const Time end = world.sim().loop().Now();
  world.StopLiveStatus();
  TerminateSurvivors(world, interrupts.interrupted());
  if (world.timeline()) world.timeline()->Finish();

  RunResult result;
  result.outcome = outcome;
  result.interrupt_signal = interrupts.first_signal();
  result.virtual_seconds = ToSeconds(end);
  result.wall_seconds = ToSeconds(SteadyWallClock().Now() - wall_start);
  result.trace = world.sim().trace().Render();
  result.trace_digest = world.sim().trace().Digest();
  RunRecord record = RecordOf(world, outcome, result.interrupt_signal, end);
  record.wall_seconds = result.wall_seconds;
  result.report = BuildReport(record);
  AddExpectationResults(plan.expectations, &result.report);
  result.passed = result.report["passed"].get<bool>();
  return result;
}

}  // namespace ptsim
