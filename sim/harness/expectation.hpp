// Expectations: what must be true when a scenario's run ends
// (docs/scenarios.md#expectations). Each is checked against the run's JSON
// report, the same data a user reads, and yields want vs got. A failed
// expectation makes `ptsim run` exit 1.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/core/time.hpp"
#include "sim/harness/flyte_expectation.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim {

struct ConditionPattern {
  std::string type;
  std::string status = "True";
  std::string reason;                // empty: any
  std::string message_text;          // a regex searched in the message; empty: any
  std::optional<UserRegex> message;  // compiled message_text
  std::optional<Duration> after;     // the transition happened at or after this time
  std::optional<Duration> before;    // ... and at or before this one
  std::string Describe() const;
};

struct ExpectationSpec {
  enum class Kind {
    kFinalCondition,  // the job's last condition (as `kubectl get pytorchjob` shows State)
    kConditions,      // a sequence of conditions, in order, gaps allowed
    kRestartCount,    // of a pod's container, or summed over a replica type
    kPodsExist,       // these pods exist at the end
    kPodsDeleted,     // these pods were deleted (every pod ever created with the name)
    kServicesExist,
    kServicesDeleted,
    kJobDeleted,  // the job was deleted (by its TTL), optionally within a window
    kJobNotDeleted,
    kEvent,           // an event with this reason (and object, message) was recorded
    kEnv,             // a container saw (or declared) this environment variable
    kDuration,        // the run's virtual duration within bounds
    kPodPhase,        // a pod's final phase
    kOutcome,         // completed / timedOut
    kNote,            // a note mentions this (regex), e.g. an upstream issue
    kFlytePhase,      // the final Flyte phase (for Flyte tasks)
    kNeverCondition,  // the job never had this condition
    kTermination,     // how a container incarnation ended (reason, exit code, signal)
    kLog,             // lines of a container's log match a regex
    kFault,           // a fault fired (a number of times)
    kFile,            // a file under the run directory exists / matches a regex
    kReport,          // a value of the JSON report, addressed by a JSON pointer
    kFlyte,           // a Flyte task's outcome or one attempt (flyte_expectation.hpp)
  };
  Kind kind = Kind::kFinalCondition;
  SourceLocation where;
  ConditionPattern condition;
  std::string message_text;  // a regex, searched in the message
  std::optional<UserRegex> message;
  std::vector<ConditionPattern> sequence;
  // For the job-level kinds (finalCondition, conditions, neverCondition,
  // jobDeleted): the PyTorchJob by name; empty: the run's first job.
  std::string job;
  std::string pod;
  std::string container;
  std::string replica_type;
  std::optional<int> equals;
  std::optional<int> min;
  std::optional<int> max;
  std::vector<std::string> names;
  std::optional<Duration> after;
  std::optional<Duration> before;
  std::string reason;
  std::string object;
  std::string env_name;
  std::optional<std::string> env_value;
  bool resolved = true;
  std::string phase;
  std::string outcome;
  // kTermination and kLog: which incarnation (restartCount); nullopt is the
  // last one for kTermination and any one for kLog; `any_attempt` any one.
  std::optional<int> attempt;
  bool any_attempt = false;
  std::optional<int> exit_code;
  std::optional<int> signal;
  // kFault: the fault's name. kFile: the path under the run directory.
  // kReport: the JSON pointer.
  std::string target;
  std::optional<bool> exists;                     // kFile, kReport
  std::optional<nlohmann::json> value;            // kReport: equals this JSON value
  std::optional<double> number_min;               // kReport: a number >= this
  std::optional<double> number_max;               // kReport: a number <= this
  std::shared_ptr<const FlyteExpectation> flyte;  // kFlyte
};

struct ExpectationResult {
  std::string description;
  bool passed = false;
  nlohmann::json expected;
  nlohmann::json actual;
};

std::string DescribeExpectation(const ExpectationSpec& spec);
ExpectationResult Evaluate(const ExpectationSpec& spec, const nlohmann::json& report);

}  // namespace ptsim
