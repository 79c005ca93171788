// Reading helpers for the Flyte task YAML (config_yaml.hpp): typed scalars
// with YAML 1.2 core-schema resolution (a quoted scalar is always a string;
// a plain one may be null, bool, int or float), mappings that report unknown
// and duplicate keys, and a record of where each field path was written so
// later diagnostics (flytekit's construction errors) can name the line.
// Internal to fakes/flyte; not thread-safe; one reader per document.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "fakes/flyte/python_value.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

class YamlDocument {
 public:
  YamlDocument(std::string file, Diagnostics* diags) : file_(std::move(file)), diags_(diags) {}

  SourceLocation Where(const YAML::Node& node) const;
  void Record(const std::string& path, const YAML::Node& node);
  void Error(const YAML::Node& node, const std::string& path, const std::string& message);
  const std::map<std::string, SourceLocation>& locations() const { return locations_; }
  Diagnostics* diags() { return diags_; }

  // The scalar as the Python caller would have written it.
  static PyScalar Scalar(const YAML::Node& node);
  // The whole node as JSON (mappings, sequences, typed scalars).
  static nlohmann::json ToJson(const YAML::Node& node);

 private:
  std::string file_;
  Diagnostics* diags_;
  std::map<std::string, SourceLocation> locations_;
};

// One YAML mapping. Accessors return nullopt when the key is absent or null
// (Python None) and report wrong types; Finish() reports unknown keys.
class YamlMap {
 public:
  YamlMap(YamlDocument* doc, const YAML::Node& node, std::string path);

  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  // Present with a non-null value. Marks the key known.
  bool Has(const std::string& key);
  // Present at all, even as null. Marks the key known.
  bool Contains(const std::string& key);
  // The raw node for `key` (absent or null -> nullopt). Marks the key known.
  std::optional<YAML::Node> Node(const std::string& key);

  std::optional<int64_t> Int(const std::string& key);
  std::optional<bool> Bool(const std::string& key);
  std::optional<std::string> String(const std::string& key);
  std::optional<std::vector<std::string>> StringList(const std::string& key);
  std::optional<std::map<std::string, std::string>> StringMap(const std::string& key);
  std::optional<YamlMap> Map(const std::string& key);

  void Finish();

 private:
  void WrongType(const std::string& key, const YAML::Node& value, const char* expected);

  YamlDocument* doc_;
  YAML::Node node_;
  std::string path_;
  std::set<std::string> known_;
  std::map<std::string, YAML::Node> entries_;
  bool ok_ = true;
};

}  // namespace ptsim::flyte
