// CHECK_JSON_EQ: compares two nlohmann::json values (key order is irrelevant
// for objects) and prints both sides when they differ.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sim/core/diagnostics.hpp"

#define CHECK_JSON_EQ(actual, expected)               \
  do {                                                \
    const nlohmann::json actual_json_ = (actual);     \
    const nlohmann::json expected_json_ = (expected); \
    INFO("actual:   " << actual_json_.dump());        \
    INFO("expected: " << expected_json_.dump());      \
    CHECK(actual_json_ == expected_json_);            \
  } while (false)

// The message of the first error.
inline std::string FirstError(const ptsim::Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.items()) {
    if (d.severity == ptsim::Diagnostic::Severity::kError) return d.message;
  }
  return "<no error>";
}

// The message of the first error of a Result.
template <typename R>
std::string OnlyError(const R& result) {
  for (const auto& d : result.diagnostics().items()) {
    if (d.severity == ptsim::Diagnostic::Severity::kError) return d.message;
  }
  return "<no error>";
}
