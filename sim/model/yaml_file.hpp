// Reading an input file: its text and every YAML (or JSON) document in it.
// Plain function; any thread.
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

// Errors: the file cannot be read (at the file), or it is not well-formed
// YAML/JSON (at the line and column where the parser stopped).
Result<YamlFile> ReadYamlFile(const std::string& path);

}  // namespace ptsim
