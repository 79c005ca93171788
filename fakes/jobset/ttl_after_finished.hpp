// A finished JobSet's TTL (pkg/controllers/ttl_after_finished.go @v0.12.0):
// it is deleted, with foreground propagation, ttlSecondsAfterFinished after
// the lastTransitionTime of its Completed or Failed condition. Pure
// functions; any thread.
#pragma once

#include <optional>

#include "sim/core/time.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

// The time left before the JobSet expires (zero or less: expired), or
// nullopt when it has no TTL, is being deleted, or is not finished.
std::optional<Duration> JobSetTtlRemaining(const JobSet& js, Time now);

}  // namespace ptsim
