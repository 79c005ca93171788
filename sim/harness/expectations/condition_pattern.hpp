// A pattern for a job condition, as the job-level expectations write it
// (docs/scenarios.md#expectations): `Running`, `Running=False`, or a mapping
// {type, status?, reason?, message?, after?, before?}. Matched against the
// conditions of a job in the report (`status.conditions` and
// `conditionHistory`, docs/report.md). Plain data and functions; decoding on
// the loading thread, matching on any.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/harness/expectations/regex_field.hpp"
#include "sim/harness/expectations/time_window.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

struct ConditionPattern {
  std::string type;
  std::string status = "True";
  std::string reason;  // empty: any
  RegexField message;  // searched in the message; none: any
  TimeWindow window;   // when the transition happened; open: any time

  // "Running=False (Reason) /message/ after 5s"; the parts given.
  std::string Describe() const;
  // Whether condition `c` of the report matches; its time is `time` (when
  // ptsim saw the transition, in conditionHistory), else lastTransitionTime.
  bool Matches(const nlohmann::json& c) const;
};

// Reads a pattern in either form at `node`; problems go to ctx.
ConditionPattern ReadConditionPattern(DecodeContext& ctx, const YAML::Node& node,
                                      const std::string& path);

// The error for a condition type a PyTorchJob does not have, or "" for a known one.
std::string UnknownConditionType(const std::string& type);

// "Type=Status (Reason)" of a condition of the report: what a user reads as got.
std::string ConditionBrief(const nlohmann::json& c);

}  // namespace ptsim
