#include "sim/harness/expectations/time_window.hpp"

#include <fmt/format.h>

namespace ptsim {

bool TimeWindow::Contains(double seconds) const {
  return (!after || seconds >= ToSeconds(*after)) && (!before || seconds <= ToSeconds(*before));
}

std::string TimeWindow::Describe() const {
  if (after && before)
    return fmt::format("between {} and {}", FormatDuration(*after), FormatDuration(*before));
  if (after) return fmt::format("after {}", FormatDuration(*after));
  if (before) return fmt::format("before {}", FormatDuration(*before));
  return "";
}

}  // namespace ptsim
