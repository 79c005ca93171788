// Durations written the way Go's time.ParseDuration reads them ("90s", "1h30m",
// "250ms"), used by scenario files and the command line.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace ptsim {

// Returns nullopt and sets `error` on bad input. A bare number other than 0 is
// rejected with a hint to add a unit.
std::optional<Duration> ParseGoDuration(std::string_view text, std::string* error);

// Go's time.Duration.String(): "10s", "1m20s", "5m0s", "1h0m0s", "1.5s", "250ms".
// Kubernetes prints durations this way in messages (e.g. "back-off 5m0s ...").
std::string GoDurationString(Duration d);

}  // namespace ptsim
