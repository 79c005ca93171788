// The timeline picture of the HTML report (report_html.hpp): an inline SVG
// with one lane per pod name — the pods recreated under one name share it,
// each incarnation's start marked — and one bar per container run, coloured
// by how it ended and linked to its log; job conditions above the lanes
// (labels laid out in rows so that none overlaps; a condition that repeats is
// labelled once with its count, every change keeps its line and tooltip);
// faults, notes (linked to the notes table) and Flyte phases below the axis.
// Built from the JSON report (docs/report.md). Pure; any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace ptsim {

struct TimelineSvgOptions {
  // Prefix of the ids of this run's section ("run-2"); notes link to
  // "#<prefix>-note-<n>" (n from 1, in the order of report["notes"]).
  std::string anchor;
  // The directory the page is written to; log links are relative to it.
  // Empty: links are the log paths as the report gives them.
  std::string html_dir;
};

std::string TimelineSvg(const nlohmann::json& report, const TimelineSvgOptions& options);

// The colour of a container run's bar and its legend label.
std::pair<const char*, const char*> RunStyle(const nlohmann::json& run);

// A log path as a link from `html_dir` (relative, '/'-separated, escaped for
// an href attribute); the path itself when html_dir is empty.
std::string LogHref(const std::string& log, const std::string& html_dir);

}  // namespace ptsim
