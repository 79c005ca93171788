// The JSON report of a run (`ptsim run --json PATH`), a contract that only
// grows: times are virtual seconds since the run began, absent values are
// null. docs/report.md documents every field. Built from the recorded run.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/core/notes.hpp"
#include "sim/harness/run_recorder.hpp"
#include "sim/model/node.hpp"

namespace ptsim {

nlohmann::json TimeJson(const std::optional<Time>& t);
nlohmann::json PodJson(const PodRecord& record);
nlohmann::json ServiceJson(const ServiceRecord& record);
nlohmann::json EventsJson(const std::vector<Event>& events);
// Every node at the end of the run (`nodes`), for `ptsim describe node/NAME`.
nlohmann::json NodesJson(const std::vector<std::shared_ptr<const Node>>& nodes);
nlohmann::json NotesJson(const std::vector<Note>& notes);
nlohmann::json JobJson(const JobRecord& record, const nlohmann::json& spec_as_submitted);
nlohmann::json JobConditionJson(const JobCondition& c);

// Replaces, in every string and key of `value`, the bytes that are not valid
// UTF-8 with U+FFFD, so that dumping the report never throws (nlohmann's
// type_error 316). Input files are checked for UTF-8 when they are read; what
// processes print, the host's environment and paths are not.
void ReplaceInvalidUtf8(nlohmann::json* value);

}  // namespace ptsim
