// Go-style durations for ptsim-worker flags: "10ms", "1.5s", "2m", "1h30m".
//
// ParseDuration accepts one or more <decimal number><unit> pairs with units
// ns, us (or µs), ms, s, m and h, or a bare "0". Negative durations and numbers
// without a unit are rejected; the error message says what is wrong and gives
// examples (the caller names the flag and quotes the text). FormatDuration writes a short form that
// ParseDuration reads back.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

using Duration = std::chrono::nanoseconds;

Result<Duration> ParseDuration(std::string_view text);

// "0s", "250ms", "1.5s", "1h2m3s".
std::string FormatDuration(Duration d);

}  // namespace ptsim::worker
