// The expectation kinds by scenario key (docs/scenarios.md#expectations): the
// one table that maps each key to its decoder, and the decoding of one entry
// of a scenario's `expect:` list through it, with the errors for an entry
// that is not one key (and optionally `job`), for an unknown key (with a
// "did you mean") and for `job` beside a kind that is not about a job. Adding
// a kind is a file under expectations/ and its row here (kinds.hpp declares
// its decoder). Loading thread only.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "sim/harness/expectation.hpp"
#include "sim/harness/expectations/expectation_input.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

struct ExpectationKind {
  std::string_view key;  // the scenario key, e.g. "finalCondition"
  ExpectationDecoder decode;
  bool about_job;  // `job: NAME` beside it names the job it is about
};

// Every kind, in the order of the table in docs/scenarios.md.
std::span<const ExpectationKind> ExpectationKinds();

// Decodes the list item `node` at `path` into `out`; problems go to ctx.
void DecodeExpectation(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                       ExpectationSpec* out);

}  // namespace ptsim
