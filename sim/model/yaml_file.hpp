// Reading an input file: its text and every YAML (or JSON) document in it,
// with the guards of input_text.hpp (size, UTF-8, control characters) and
// yaml_guard.hpp (yaml-cpp's endless loop, alias bombs, cycles, node count)
// applied before yaml-cpp builds any node. Every way in for a manifest,
// scenario or Flyte file goes through here. Plain functions; any thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"

namespace ptsim {

struct YamlFile {
  std::string text;
  std::vector<YAML::Node> documents;
};

// Errors: the file cannot be read or is too large (at the file), or its text
// is not well-formed or not safe to load (at the line and column).
Result<YamlFile> ReadYamlFile(const std::string& path);

// The same for text already in memory; `path` names it in diagnostics.
Result<YamlFile> ParseYamlText(std::string text, const std::string& path);

}  // namespace ptsim
