#include "tools/ptsim-worker/exact_double.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace ptsim::worker {

std::string ToHexFloat(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", value);
  return buffer;
}

std::vector<std::string> ToHexFloats(const std::vector<double>& values) {
  std::vector<std::string> out;
  out.reserve(values.size());
  for (double v : values)
    out.push_back(ToHexFloat(v));
  return out;
}

Result<double> ParseExactDouble(std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) {
    return Error{fmt::format("\"{}\" is not a number", text)};
  }
  return value;
}

}  // namespace ptsim::worker
