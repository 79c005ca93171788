// The objects of a finished run's report that `ptsim describe` and `ptsim
// events` look up by TYPE/NAME: pods (every incarnation), PyTorchJobs and
// nodes, with errors that list what exists. Also which events belong to an
// object, as kubectl finds them (the object's uid where the report records
// it, else its kind and name). Pure functions over the report JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "tools/ptsim/object_ref.hpp"

namespace ptsim::cli {

// The report's entry for a job or node named `ref`, or null with `error` set
// (listing the names that exist). Pods are picked with PickIncarnation.
const nlohmann::json* FindJob(const nlohmann::json& report, const std::string& name,
                              std::string* error);
const nlohmann::json* FindNode(const nlohmann::json& report, const std::string& name,
                               std::string* error);

// Whether `ref` names an object of the report; error lists what exists.
bool ObjectExists(const nlohmann::json& report, const ObjectRef& ref, std::string* error);

// The events of one object: `kind` ("Pod"), `name`, and `uid` when known
// (a recreated pod's events are told apart by uid), in the report's order.
std::vector<const nlohmann::json*> EventsFor(const nlohmann::json& report, const std::string& kind,
                                             const std::string& name, const std::string& uid);

// Events sorted as kubectl sorts them (event.SortableEvents: by lastTimestamp).
void SortEvents(std::vector<const nlohmann::json*>* events);

}  // namespace ptsim::cli
