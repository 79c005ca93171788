// A window of virtual time (since the run began) that an expectation checks
// a moment or a duration against: `after` and `before`, each optional and
// inclusive. Plain data and functions; any thread.
#pragma once

#include <optional>
#include <string>

#include "sim/core/time.hpp"

namespace ptsim {

struct TimeWindow {
  std::optional<Duration> after;
  std::optional<Duration> before;

  // Whether `seconds` is within the window (true when it is open).
  bool Contains(double seconds) const;
  // "between 1m10s and 1m11s", "after 5s", "before 5s", or "" when open.
  std::string Describe() const;
};

}  // namespace ptsim
