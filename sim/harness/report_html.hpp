// The self-contained HTML report of a run (`ptsim run --html PATH`): no
// scripts, no network. A timeline (timeline_svg.hpp: one lane per pod name,
// a bar per container run linked to its log, conditions, faults and notes
// marked), the pod table with kubectl's columns, then the condition table,
// expectations, notes, faults and events. Built from the JSON report.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ptsim {

// One page for one run, or, for several, a table of the runs (failures first,
// each linked to its section) and a section per run. `html_dir`: the
// directory the page is written to, for the relative links to container logs
// (timeline_svg.hpp); empty leaves the log paths as the reports give them.
std::string HtmlReport(const std::vector<nlohmann::json>& reports,
                       const std::string& html_dir = "");

}  // namespace ptsim
