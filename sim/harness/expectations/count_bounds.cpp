#include "sim/harness/expectations/count_bounds.hpp"

#include <fmt/format.h>

namespace ptsim {

bool CountBounds::Contains(int v) const {
  if (equals && v != *equals) return false;
  if (min && v < *min) return false;
  if (max && v > *max) return false;
  return true;
}

std::string CountBounds::Describe() const {
  if (equals) return fmt::format("= {}", *equals);
  if (min && max) return fmt::format("in [{}, {}]", *min, *max);
  if (min) return fmt::format(">= {}", *min);
  if (max) return fmt::format("<= {}", *max);
  return "";
}

void ReadBounds(MapReader& m, CountBounds* out) {
  std::optional<std::int32_t> v;
  m.OptInt32("equals", &v);
  if (v) out->equals = *v;
  v.reset();
  m.OptInt32("min", &v);
  if (v) out->min = *v;
  v.reset();
  m.OptInt32("max", &v);
  if (v) out->max = *v;
}

}  // namespace ptsim
