// Bounds on a count an expectation checks (restarts, events, log lines,
// firings of a fault): `equals`, `min` and `max`, each optional. Plain data
// and functions; any thread.
#pragma once

#include <optional>
#include <string>

#include "sim/model/yaml_reader.hpp"

namespace ptsim {

struct CountBounds {
  std::optional<int> equals;
  std::optional<int> min;
  std::optional<int> max;

  bool given() const { return equals || min || max; }
  // Whether `v` is within every bound given (true when none is).
  bool Contains(int v) const;
  // "= 3", "in [1, 2]", ">= 1", "<= 2", or "" when none is given.
  std::string Describe() const;
};

// Reads `equals`, `min` and `max` of `m` (integers).
void ReadBounds(MapReader& m, CountBounds* out);

}  // namespace ptsim
