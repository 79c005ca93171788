// The `flyte:` expectation (docs/scenarios.md): what a Flyte task's run must
// have come to, checked against the report's "flyte" object.
//
//   - flyte: {phase: PermanentFailure, attempts: 2,
//             errorCode: "RetriesExhausted|DownstreamSystemError", errorKind: USER,
//             message: "Job failed", returnValue: {loss: 0.1}, decks: [default]}
//   - flyte: {attempt: 0, phase: RetryableFailure, name: ptsim-n0-0, errorCode: ...}
//
// Without `attempt` the keys are about the task's outcome (final phase and
// error, the number of attempts made, the return value and decks); with it
// they are about that attempt (its last phase, its error, its object's name,
// its return value and decks). `message` is a regular expression searched
// in the error message; `returnValue` is compared as JSON. Plain data and
// functions; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model/user_regex.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

struct FlyteExpectation {
  std::optional<int> attempt;
  std::string phase;
  std::optional<int> attempts;
  std::string name;
  std::string error_code;
  std::string error_kind;
  std::string message_text;
  std::optional<UserRegex> message;
  std::optional<nlohmann::json> return_value;
  std::optional<std::vector<std::string>> decks;
};

// Reads the mapping under `flyte:`; problems go to m's context.
void DecodeFlyteExpectation(MapReader& m, FlyteExpectation* out);
std::string DescribeFlyteExpectation(const FlyteExpectation& e);

struct FlyteCheck {
  bool passed = false;
  nlohmann::json expected;
  nlohmann::json actual;
};
FlyteCheck EvaluateFlyteExpectation(const FlyteExpectation& e, const nlohmann::json& report);

}  // namespace ptsim
