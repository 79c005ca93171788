#include "sim/model/user_regex.hpp"

#include <fmt/format.h>

namespace ptsim {

std::optional<std::regex> CompileUserRegex(const std::string& pattern, std::string* error) {
  if (pattern.size() > kMaxUserRegexBytes) {
    *error = fmt::format("the expression is {} bytes long; ptsim takes at most {}", pattern.size(),
                         kMaxUserRegexBytes);
    return std::nullopt;
  }
  try {
    return std::regex(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial);
  } catch (const std::regex_error& e) {
    *error = e.what();
    return std::nullopt;
  }
}

bool SearchUserRegex(const std::regex& re, std::string_view text) {
  const std::string_view subject = text.substr(0, kMaxUserRegexSubjectBytes);
  return std::regex_search(subject.begin(), subject.end(), re);
}

}  // namespace ptsim
