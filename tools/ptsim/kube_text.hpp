// Small text forms kubectl prints, for `ptsim describe` and `ptsim events`
// over a run's report: ages, field labels, event intervals. Times in a report
// are virtual seconds since the run began; an age counts back from the run's
// end, as kubectl counts back from now. Pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ptsim::cli {

// apimachinery's duration.HumanDuration: "45s", "2m30s", "12m", "3h5m", "2d".
std::string HumanDuration(double seconds);

// A virtual time as describe shows it: "12.345s" (since the run began).
std::string VirtualTime(double seconds);

// kubectl's describe.go smartLabelFor: "replicaSpecs" -> "Replica Specs",
// "apiVersion" -> "API Version"; a name with other characters than letters
// and '-' is kept as it is.
std::string SmartLabel(const std::string& field);

// The interval column of an event (describe's Age, events' LAST SEEN), as
// kubectl's getInterval: "10s", or "5s (x3 over 2m)" for an event seen
// `count` times. `end` is the run's end in virtual seconds.
std::string EventInterval(const nlohmann::json& event, double end);

// "; did you mean \"X\"? " before a list of what exists, or "; " when no
// name is near `word`.
std::string Suggest(const std::string& word, const std::vector<std::string>& names);

// The string at `key` of `j`, or "" when absent or not a string.
std::string Str(const nlohmann::json& j, const char* key);

}  // namespace ptsim::cli
