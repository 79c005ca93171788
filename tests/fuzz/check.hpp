// Invariants the fuzz targets check on every input; a violation aborts, which
// libFuzzer reports as a crash with the input that caused it.
#pragma once

#include <string_view>

#include "sim/core/diagnostics.hpp"

namespace ptsim::fuzz {

// Aborts with `what` unless `condition` holds.
void Check(bool condition, std::string_view what);

// Diagnostics render as valid UTF-8 with no control character but the line
// feed ending each one: nothing a user wrote reaches the terminal raw.
void CheckRendered(const Diagnostics& diagnostics);

// An error result has at least one error; a successful one has none.
template <typename T>
void CheckResult(const Result<T>& result) {
  Check(result.ok() == result.diagnostics().ok(), "a Result's ok() disagrees with its errors");
  CheckRendered(result.diagnostics());
}

}  // namespace ptsim::fuzz
