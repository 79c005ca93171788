#include "fakes/jobset/ttl_after_finished.hpp"

#include <chrono>

#include "fakes/jobset/jobset_conditions.hpp"

namespace ptsim {

std::optional<Duration> JobSetTtlRemaining(const JobSet& js, Time now) {
  if (!js.spec.ttl_seconds_after_finished || js.metadata.deletion_timestamp) return std::nullopt;
  for (const auto& c : js.status.conditions) {
    if ((c.type == kJobSetCompleted || c.type == kJobSetFailed) && c.status == "True") {
      const Time expire_at =
          c.last_transition_time + std::chrono::seconds(*js.spec.ttl_seconds_after_finished);
      return std::chrono::duration_cast<Duration>(expire_at - now);
    }
  }
  return std::nullopt;
}

}  // namespace ptsim
