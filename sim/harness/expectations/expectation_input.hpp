// What the decoder of one expectation kind reads (registry.hpp dispatches to
// it by the entry's key): the entry of the scenario's `expect:` list, the
// value under its key and that value's field path, and, for job-level kinds,
// the job the entry names. A decoder reports problems to `ctx` at file, line
// and field path, and returns the expectation even when there were problems
// (a plan with errors never runs). Loading thread only.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>

#include "sim/harness/expectation.hpp"
#include "sim/harness/expectations/job_ref.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

struct ExpectationInput {
  DecodeContext& ctx;
  MapReader& entry;  // the list item: the kind's key, and `job`
  std::string key;   // e.g. "finalCondition"
  YAML::Node value;  // entry[key]
  std::string path;  // e.g. "expect[3].finalCondition"
  JobRef job;        // the job `job:` names (job-level kinds only)
};

using ExpectationDecoder = std::unique_ptr<Expectation> (*)(ExpectationInput& in);

}  // namespace ptsim
