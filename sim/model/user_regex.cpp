#include "sim/model/user_regex.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

namespace ptsim {

std::optional<UserRegex> CompileUserRegex(const std::string& pattern, std::string* error) {
  if (pattern.size() > kMaxUserRegexBytes) {
    *error = fmt::format("the expression is {} bytes long; ptsim takes at most {}", pattern.size(),
                         kMaxUserRegexBytes);
    return std::nullopt;
  }
  RE2::Options options;
  options.set_log_errors(false);  // the error is returned, not printed
  auto re = std::make_shared<const RE2>(pattern, options);
  if (!re->ok()) {
    *error =
        fmt::format("{} (ptsim uses RE2 syntax: no back-references or lookaround)", re->error());
    return std::nullopt;
  }
  return UserRegex(std::move(re));
}

bool UserRegex::Search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

const std::string& UserRegex::pattern() const {
  return re_->pattern();
}

}  // namespace ptsim
