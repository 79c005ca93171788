// Faults as a scenario (or `--fault`) declares them: what to do, to whom, and
// when (docs/scenarios.md#faults). Plain data, decoded from either form by one
// decoder (sim/harness/faults/fault_decoder.hpp) and checked when the scenario
// is loaded; the action is one of the table's (fault_action.hpp), which
// outlives every FaultSpec. FaultInjector carries them out. Any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/core/time.hpp"
#include "sim/harness/faults/fault_action.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim {

// Whom a fault hits. Exactly one of pod, replica_type, selector, node (or none
// for "every pod"); container narrows to one container; mode/value pick a
// random subset from the run's seed, like Chaos Mesh's selector modes.
struct FaultTarget {
  std::string pod;
  std::string replica_type;  // "Master", "Worker"
  std::optional<int> replica_index;
  // A JobSet's pods: its replicated job, the Job's index in it and the pod's
  // completion index in that Job (the jobset.sigs.k8s.io and batch labels).
  std::string replicated_job;
  std::optional<int> job_index;
  std::optional<int> pod_index;
  std::string selector;  // a label selector
  std::string node;
  std::string job;  // job-level actions: the job's name (empty: every job of the run)
  std::string container;
  std::string ns = "default";
  bool ns_given = false;  // written by the user (else a Flyte run aims at its task's namespace)
  enum class Mode { kAll, kOne, kFixed, kFixedPercent, kRandomMaxPercent };
  Mode mode = Mode::kAll;
  int value = 0;

  std::string Describe() const;
};

// When a fault fires.
struct FaultTrigger {
  std::optional<Duration> at;             // at this virtual time
  std::optional<Duration> every;          // and again every interval (with `at`)
  std::optional<Duration> after_running;  // this long after a target container starts
  std::string log_line;                   // when a target container prints a matching line
  std::optional<UserRegex> log_regex;
  std::optional<int> incarnation;  // when a target container starts for the Nth time
  std::string condition;           // when the job gains this condition (status True)
  Duration delay{0};               // extra delay after the trigger

  std::string Describe() const;
};

// ptsim's bounds on fault schedules: `every` at least 100ms, and at most 1000
// firings of one fault (`repeat: always` stops there, with a note).
inline constexpr Duration kMinFaultEvery = std::chrono::milliseconds(100);
inline constexpr int kMaxFaultFirings = 1000;

struct FaultSpec {
  std::string name;
  const FaultAction* action = &DefaultFaultAction();  // never null
  FaultTarget target;
  FaultTrigger when;
  int signal = 9;                            // kill
  int exit_code = 1;                         // exit
  std::optional<Duration> duration;          // freeze, node-down, cordon, image pulls
  Duration delay{0};                         // slow-start
  std::optional<std::int64_t> grace_period;  // delete
  std::string message;                       // evict, image-pull-error
  int replicas = 0;                          // scale
  int repeat = 1;                            // how many times it may fire
  bool repeat_always = false;                // `repeat: always`: until kMaxFaultFirings
  SourceLocation where;

  int MostFirings() const { return repeat_always ? kMaxFaultFirings : repeat; }
};

// The compact command-line form (docs/scenarios.md#the---fault-flag), e.g.
// kill:SIGKILL@Worker-1@log=step 50, decoded and checked as a scenario's fault
// is (sim/harness/faults/fault_flag.hpp). Errors name `--fault` and quote the
// flag as Go's %q would.
Result<FaultSpec> ParseFaultFlag(const std::string& text);

// The checks of one fault that need nothing else of the run and that both
// ways of writing one share (fault_decoder.hpp): no negative times, `every`
// and `repeat` within the bounds above, an exit code from 0 to 255, scale
// replicas from 0 to kMaxReplicasPerType, incarnations from 1, replica
// indexes from 0, no negative grace period. Reported at f.where as
// `fault "<name>"`.
void ValidateFaultSpec(const FaultSpec& f, Diagnostics* diagnostics);

}  // namespace ptsim
