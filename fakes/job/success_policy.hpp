// Matching an Indexed Job's successPolicy (pkg/controller/job/
// success_policy.go matchSuccessPolicy): the first rule whose
// succeededIndexes all succeeded (with succeededCount: at least that many of
// them), or whose succeededCount alone is reached, gives "Matched rules at
// index <i>". Pure function; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/model/batch_job.hpp"
#include "sim/model/job_indexes.hpp"

namespace ptsim {

// The SuccessCriteriaMet message when a rule matches, else nullopt.
std::optional<std::string> MatchSuccessPolicy(const SuccessPolicy* policy, std::int32_t completions,
                                              const OrderedIntervals& succeeded_indexes);

}  // namespace ptsim
