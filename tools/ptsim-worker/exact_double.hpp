// Doubles written so that reading them back gives the same bits: C99 hex
// floats ("%a", e.g. "0x1.8p-1"), which also cover NaN and infinities where a
// JSON number cannot. Checkpoints and result files store these beside the
// plain numbers. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

// "0x1.8p-1" for 0.75.
std::string ToHexFloat(double value);

// ToHexFloat of each value.
std::vector<std::string> ToHexFloats(const std::vector<double>& values);

// The double a ToHexFloat string (or any full strtod number) stands for.
Result<double> ParseExactDouble(std::string_view text);

}  // namespace ptsim::worker
