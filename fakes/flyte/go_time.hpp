// Time renderings flytepropeller produces, for timestamps held as plain
// seconds since the Unix epoch (the simulator passes virtual seconds): Go's
// time.RFC3339 layout and time.Time's String() layout, both in UTC (upstream
// uses the process's local zone; its tests pin it to UTC). Also parses the
// RFC 3339 timestamps Kubernetes writes in status fields. Pure functions on
// the proleptic Gregorian calendar; no clock is read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptsim::flyte {

// "2022-01-01T12:00:00Z" (fraction dropped, as Go's RFC3339 layout does).
std::string FormatRfc3339(double seconds);

// "2022-01-01 12:00:00 +0000 UTC", with ".5" style fractions when present
// (Go's "2006-01-02 15:04:05.999999999 -0700 MST").
std::string FormatGoTime(double seconds);

// "2022-01-01T12:00:00Z", "2022-01-01T12:00:00.5Z", "...+02:00".
std::optional<double> ParseRfc3339(std::string_view text);

}  // namespace ptsim::flyte
