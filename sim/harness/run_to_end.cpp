#include "sim/harness/run_to_end.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>

#include "sim/harness/job_kind.hpp"

namespace ptsim {
namespace {

// True when every job the run created has finished, its clean-pod policy has
// been applied and its TTL deletion (if any) has happened, no live kubelet is
// still stopping a deleted pod, and every pod the run created directly has
// finished.
bool AllFinished(RunWorld& world) {
  Simulation& sim = world.sim();
  const RunPlan& plan = world.plan();
  // What this instant already set in motion (a watch delivery, the garbage
  // collector reacting to a deleted job) happens before the run can end.
  if (sim.loop().due_now()) return false;
  for (const auto& entry : plan.jobs) {
    if (IsDeferred(plan, entry)) continue;  // the driver's
    if (!entry.kind->Settled(sim, entry.namespace_(), entry.name())) return false;
  }
  // Deletions under way on a live node finish first (pods of a job its TTL
  // deleted, pods its cleanPodPolicy deleted); a dead node's never do.
  for (const auto& k : sim.kubelets().all()) {
    if (!k->crashed() && k->terminating_pods() > 0) return false;
  }
  for (const auto& created : world.bare_pods()) {
    auto live =
        sim.api().collection<Pod>().Get(created->metadata.namespace_, created->metadata.name);
    if (!live || live->metadata.uid != created->metadata.uid) continue;  // deleted
    if (!live->IsTerminal() || live->metadata.deletion_timestamp) return false;
  }
  return !world.flyte() || world.flyte()->Finished();
}

std::size_t RunningContainers(Simulation& sim) {
  std::size_t n = 0;
  for (const auto& k : sim.kubelets().all())
    n += k->running_containers();
  return n;
}

}  // namespace

RunOutcome RunToEnd(RunWorld& world, RunInterrupts& interrupts) {
  Simulation& sim = world.sim();
  const Time deadline = kRunStart + world.plan().timeout;
  auto finished = [&] {
    return interrupts.interrupted() ? interrupts.MayEnd() : AllFinished(world);
  };
  auto outcome = sim.loop().Run(deadline, finished);
  if (outcome == EventLoop::Outcome::kPredicate && !interrupts.interrupted() &&
      sim.real_runner().alive() > 0) {
    // Real processes that outlive their finished job (a worker still
    // finishing when the Master's success decided the job, a millisecond
    // race) get a moment to end on their own, as they would on a cluster,
    // before they are reported as survivors. Scripted containers need no
    // grace: their end is decided in virtual time.
    const Time grace_end = std::min(deadline, sim.loop().Now() + kSurvivorGrace);
    sim.loop().Run(grace_end,
                   [&] { return interrupts.interrupted() || sim.real_runner().alive() == 0; });
    if (interrupts.interrupted()) outcome = sim.loop().Run(deadline, finished);
  }
  RunOutcome result = RunOutcome::kCompleted;
  if (interrupts.interrupted()) {
    result = RunOutcome::kInterrupted;
  } else if (outcome == EventLoop::Outcome::kDeadline) {
    result = RunOutcome::kTimedOut;
    sim.notes().Add(sim.loop().Now(), fmt::format("the run reached its timeout of {}",
                                                  FormatDuration(world.plan().timeout)));
  }
  // Deliver what is already due (watch events of the last writes) before looking.
  sim.loop().Run(sim.loop().Now());
  return result;
}

void TerminateSurvivors(RunWorld& world, bool interrupted) {
  Simulation& sim = world.sim();
  const Time end = sim.loop().Now();
  world.recorder().MarkSurvivors(end);
  const std::size_t survivors = RunningContainers(sim);
  if (survivors > 0) {
    const Duration grace = interrupted ? Duration{0} : Duration{std::chrono::seconds(2)};
    sim.notes().Add(
        end, fmt::format("{} container(s) were still running at the end of the run and were "
                         "terminated by ptsim ({})",
                         survivors, interrupted ? "SIGKILL" : "SIGTERM, then SIGKILL after 2s"));
    for (const auto& k : sim.kubelets().all())
      k->Shutdown(grace);
    sim.loop().Run(end + std::chrono::seconds(10), [&] { return RunningContainers(sim) == 0; });
  }
  if (interrupted) sim.real_runner().SignalAll(SIGKILL);
}

}  // namespace ptsim
