// JUnit XML for CI systems: one test case per run (scenario), a failure with
// want vs got for every failed expectation, the run's summary as system-out.
// Built from the runs' JSON reports.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ptsim {

std::string JUnitXml(const std::vector<nlohmann::json>& reports);
std::string XmlEscape(const std::string& text);

}  // namespace ptsim
