// Reading fields of the report JSON (docs/report.md) in the views and
// expectations that derive from it: a missing field, or one of another type,
// reads as empty instead of throwing (nlohmann's const operator[] must not see
// a missing key). Plain functions; any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ptsim {

// j[key] when it is a string, else "" (also when j is not an object).
inline std::string StringField(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// j[key] when it is a number, else `fallback` (also when j is not an object).
inline double NumberField(const nlohmann::json& j, const char* key, double fallback = 0) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

// j[key], or null when j is not an object or has no such key.
inline const nlohmann::json& Field(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

}  // namespace ptsim
