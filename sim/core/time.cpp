#include "sim/core/time.hpp"

#include <fmt/format.h>

namespace ptsim {

std::string FormatDuration(Duration d) {
  using namespace std::chrono;
  const bool negative = d < Duration::zero();
  if (negative) d = -d;
  const auto ms = duration_cast<milliseconds>(d).count();
  std::string out = negative ? "-" : "";
  if (ms < 60'000) {
    if (ms % 1000 == 0) return out + fmt::format("{}s", ms / 1000);
    return out + fmt::format("{:.3g}s", static_cast<double>(ms) / 1000.0);
  }
  const auto h = ms / 3'600'000;
  const auto m = (ms / 60'000) % 60;
  const auto s = (ms / 1000) % 60;
  if (h > 0) out += fmt::format("{}h", h);
  if (m > 0 || (h > 0 && s > 0)) out += fmt::format("{}m", m);
  if (s > 0) out += fmt::format("{}s", s);
  return out;
}

std::string FormatTimestamp(Time t) { return fmt::format("{:8.3f}s", ToSeconds(t)); }

}  // namespace ptsim
