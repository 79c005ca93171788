// JSON to YAML for manifests printed for `kubectl apply`: block style, keys
// in the JSON's (sorted) order, two-space indentation, list items as "- ".
// A string stays plain only when YAML reads it back as the same string
// (sigs.k8s.io/yaml's YAML 1.1 resolution: not a bool, null or number, no
// indicator characters); otherwise it is double-quoted with JSON's escapes,
// which YAML's double-quoted style accepts. Pure function; any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ptsim::cli {

std::string JsonToYaml(const nlohmann::json& value);

}  // namespace ptsim::cli
