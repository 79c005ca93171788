// The self-contained HTML report of a run (`ptsim run --html PATH`): no
// scripts, no network. A timeline with one lane per pod (recreated pods get
// their own lane), each container incarnation a bar coloured by how it ended,
// job conditions and faults marked on the time axis, then the condition
// table, expectations, notes, faults and events. Built from the JSON report.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ptsim {

// One page for one run, or sections for several.
std::string HtmlReport(const std::vector<nlohmann::json>& reports);

}  // namespace ptsim
