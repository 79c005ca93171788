// JsonFields: reads one JSON object of our own input formats (task execution,
// plugin config, log config) field by field, reporting wrong types and, at
// Finish(), keys nobody asked for. Every Diagnostic names the dotted path of
// the field (e.g. "overrides.containerImage"). Keys that are absent or null
// leave the output untouched, so defaults live in the target structs.
// Not thread-safe; one reader per object.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

class JsonFields {
 public:
  // REQUIRES: `object` outlives this reader.
  JsonFields(const nlohmann::json& object, std::string path, Diagnostics* diags);

  // False (with a Diagnostic) when the value is present but not an object.
  bool ok() const { return ok_; }
  std::string Path(const std::string& key) const;

  void String(const std::string& key, std::string* out);
  void Bool(const std::string& key, bool* out);
  void Int(const std::string& key, int64_t* out);
  void Number(const std::string& key, double* out);
  void StringList(const std::string& key, std::vector<std::string>* out);
  void StringMap(const std::string& key, std::map<std::string, std::string>* out);
  // Any JSON value, unchecked.
  void Raw(const std::string& key, std::optional<nlohmann::json>* out);
  // A nested object; nullopt when absent, null, or not an object (reported).
  std::optional<JsonFields> Object(const std::string& key);

  // Reports every key that no accessor asked for.
  void Finish();

 private:
  const nlohmann::json* Take(const std::string& key);
  void WrongType(const std::string& key, const char* expected, const nlohmann::json& got);

  const nlohmann::json& object_;
  std::string path_;
  Diagnostics* diags_;
  std::set<std::string> seen_;
  bool ok_ = true;
};

}  // namespace ptsim::flyte
