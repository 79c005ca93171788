// How a run ends (run.hpp). RunToEnd runs the loop until every job the run
// created has finished and settled (clean-pod policy applied, TTL deletion
// done, deletions on live nodes completed), every pod it created directly has
// finished and the Flyte driver is done — or until the plan's timeout, or an
// interrupt (RunInterrupts). Real processes that outlive their finished job
// get kSurvivorGrace to end on their own. TerminateSurvivors then stops what
// still runs and notes it. Loop thread only.
#pragma once

#include "sim/harness/report_builder.hpp"
#include "sim/harness/run_interrupts.hpp"
#include "sim/harness/run_world.hpp"

namespace ptsim {

// How long real processes may keep running after every job has finished
// before ptsim terminates them.
inline constexpr Duration kSurvivorGrace = std::chrono::seconds(1);

// Runs `world` to its end and says how it ended; a timeout is noted. On
// return, what was already due has been delivered.
RunOutcome RunToEnd(RunWorld& world, RunInterrupts& interrupts);

// Marks what still runs as terminated by ptsim in the recorder, notes it and
// stops it: SIGTERM, then SIGKILL after 2s, or SIGKILL at once after an
// interrupt (its grace was the time since the interrupt).
void TerminateSurvivors(RunWorld& world, bool interrupted);

}  // namespace ptsim
