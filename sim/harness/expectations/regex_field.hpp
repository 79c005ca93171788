// A regular expression an expectation takes from the scenario (a condition's
// `message`, `log.matches`, `note`, ...; docs/scenarios.md#regular-expressions):
// the text as written, for descriptions, and the compiled expression. Plain
// data and functions; decoding on the loading thread, searching on any.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/model/user_regex.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

struct RegexField {
  std::string text;             // as written; empty: none given
  std::optional<UserRegex> re;  // compiled; nullopt when none was given or it is invalid

  // Whether the expression matches somewhere in `s`; false without one.
  bool Search(std::string_view s) const { return re && re->Search(s); }
};

// Reads the string `key` of `m` and compiles it; a pattern RE2 rejects is an
// error at that value, with RE2's reason.
void ReadRegex(MapReader& m, std::string_view key, RegexField* out);

}  // namespace ptsim
