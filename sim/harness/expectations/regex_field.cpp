#include "sim/harness/expectations/regex_field.hpp"

#include <fmt/format.h>

#include "sim/core/go_quote.hpp"

namespace ptsim {

void ReadRegex(MapReader& m, std::string_view key, RegexField* out) {
  m.String(key, &out->text);
  if (out->text.empty()) return;
  std::string why;
  out->re = CompileUserRegex(out->text, &why);
  if (!out->re) {
    m.ctx().Error(m.Get(key), m.FieldPath(key),
                  fmt::format("bad regular expression {}: {}", GoQuote(out->text), why));
  }
}

}  // namespace ptsim
