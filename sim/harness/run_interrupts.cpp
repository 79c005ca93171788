#include "sim/harness/run_interrupts.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <cstring>
#include <ostream>

#include "sim/harness/job_kind.hpp"

namespace ptsim {

void RunInterrupts::Watch() {
  world_.sim().loop().WatchInterrupts([this](int signal) { OnInterrupt(signal); });
}

void RunInterrupts::OnInterrupt(int signal) {
  ++count_;
  world_.ClearLiveStatus();
  if (count_ == 1) {
    first_signal_ = signal;
    interrupted_at_ = SteadyWallClock().Now();
    DeleteEverything(signal);
    return;
  }
  std::ostream* out = world_.settings().status_out;
  if (out && count_ == 2) *out << "ptsim: interrupted again: killing every process now\n";
  world_.sim().real_runner().SignalAll(SIGKILL);
  world_.sim().loop().Stop();
}

void RunInterrupts::DeleteEverything(int signal) {
  Simulation& sim = world_.sim();
  const auto pods = sim.api().collection<Pod>().List();
  if (std::ostream* out = world_.settings().status_out) {
    *out << fmt::format(
        "ptsim: interrupted ({}): deleting {} pods gracefully; interrupt again to kill them "
        "now\n",
        strsignal(signal), pods.size());
  }
  sim.notes().Add(sim.loop().Now(),
                  fmt::format("interrupted by {}: pods deleted gracefully", strsignal(signal)));
  if (FlyteRun* flyte = world_.flyte()) {
    flyte->Abort(fmt::format("interrupted by {}", strsignal(signal)));
  }
  // Jobs first, so that the operator does not recreate what is deleted;
  // their pods go by garbage collection, gracefully.
  for (const JobKind* kind : JobKinds()) {
    for (const auto& job : kind->List(sim))
      kind->Delete(sim, job);
  }
  for (const auto& p : pods)
    sim.api().collection<Pod>().Delete(p->metadata.namespace_, p->metadata.name);
  // Wakes a loop waiting on real processes when the grace is over.
  sim.loop().After(kInterruptGrace, [] {});
}

bool RunInterrupts::MayEnd() {
  return world_.sim().api().collection<Pod>().size() == 0 ||
         SteadyWallClock().Now() - interrupted_at_ >= kInterruptGrace;
}

}  // namespace ptsim
