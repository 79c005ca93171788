#include "sim/harness/run_name.hpp"

#include <fmt/format.h>

#include "sim/core/go_quote.hpp"

namespace ptsim {

std::string CheckRunName(const std::string& name) {
  if (name.empty() || name == "." || name == "..") {
    return fmt::format("{} cannot name a run directory", GoQuote(name));
  }
  if (name.size() > kMaxRunNameBytes) {
    return fmt::format("a run name has at most {} bytes, this one {}", kMaxRunNameBytes,
                       name.size());
  }
  for (const unsigned char c : name) {
    if (c == '/' || c < 0x20 || c == 0x7f) {
      return fmt::format("{} cannot name a run directory: it holds {}", GoQuote(name),
                         c == '/' ? "'/'" : "a control character");
    }
  }
  return "";
}

}  // namespace ptsim
