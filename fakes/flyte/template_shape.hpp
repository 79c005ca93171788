// The JSON types of the core.TaskTemplate fields flytepropeller reads
// (flyteidl/protos/flyteidl/core/tasks.proto: TaskTemplate, Container,
// K8sPod, Resources, KeyValuePair). A template that flytectl prints always
// has them; a hand-written one may not, and flyteadmin would reject it when
// unmarshalling the protobuf JSON. Checking them first lets every later
// reader assume the types. Plain functions; any thread.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptsim::flyte {

struct TemplateShapeError {
  std::string field;  // "container.image", "container.env[1].value", ...
  std::string message;
};

// Every field of `tmpl` (a task template object) whose JSON type the proto
// does not allow, in document order. Unknown fields are not checked.
std::vector<TemplateShapeError> CheckTemplateShape(const nlohmann::json& tmpl);

}  // namespace ptsim::flyte
