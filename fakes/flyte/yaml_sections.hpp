// Section parsers shared by the Flyte task YAML reader (config_yaml.hpp):
// flytekit Resources mappings (`requests`/`limits`, used by replica configs
// and the task section) and the `task:` section (the @task arguments, see
// task_decorator.hpp). Diagnostics go to the document; absent or null keys
// leave defaults. Internal to fakes/flyte; not thread-safe.
#pragma once

#include <optional>
#include <string>

#include "fakes/flyte/resources.hpp"
#include "fakes/flyte/task_decorator.hpp"
#include "fakes/flyte/yaml_reader.hpp"

namespace ptsim::flyte {

// `parent.<key>`: {cpu, mem, gpu, ephemeral_storage}, each a value or a list.
std::optional<Resources> ParseResources(YamlDocument* doc, YamlMap& parent, const std::string& key);

// The `task:` mapping.
void ParseTaskSection(YamlDocument* doc, YamlMap& m, TaskDecorator* t);

}  // namespace ptsim::flyte
