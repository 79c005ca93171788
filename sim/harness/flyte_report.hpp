// The Flyte task in the human reports, rendered from the JSON report's
// "flyte" object (flyte_run.hpp Report(), docs/flyte.md "The report"): the
// phase timeline per attempt, the final phase and error, the return value
// and decks, for the text summary and the HTML report. A report without a
// Flyte task renders as nothing. Pure functions; any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ptsim {

// Lines for the end-of-run summary ("Flyte task ...:" then one line per
// phase change), or "" when `flyte` is not an object.
std::string FlyteSummaryText(const nlohmann::json& flyte);

// An HTML section (<h2>Flyte task</h2> with the phase timeline, the
// attempts, the error and the outputs), or "".
std::string FlyteHtmlSection(const nlohmann::json& flyte);

// A colour for a Flyte phase in the HTML timeline.
const char* FlytePhaseColor(const std::string& phase);

}  // namespace ptsim
