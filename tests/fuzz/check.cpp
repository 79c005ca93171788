#include "tests/fuzz/check.hpp"

#include <cstdio>
#include <cstdlib>

#include "sim/core/go_quote.hpp"
#include "sim/core/utf8.hpp"

namespace ptsim::fuzz {

void Check(bool condition, std::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant violated: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

void CheckRendered(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.items()) {
    const std::string line = d.Render();
    Check(!FindInvalidUtf8(line).has_value(), "a diagnostic renders invalid UTF-8");
    for (std::size_t i = 0; i < line.size();) {
      char32_t cp = 0;
      const std::size_t n = DecodeUtf8(line, i, &cp);
      Check(IsGoPrintable(cp), "a diagnostic renders a raw non-printable character");
      i += n;
    }
  }
}

}  // namespace ptsim::fuzz
