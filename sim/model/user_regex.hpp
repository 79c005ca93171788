// Regular expressions written by users (a fault's logLine, an expectation's
// message or log pattern), compiled and matched on RE2, whose matching time is
// linear in the text and whose stack does not grow with it: a `.*` pattern
// against a line of megabytes neither crashes nor stalls ptsim (std::regex's
// depth-first matcher overflows the stack there, libstdc++ PR 86164). The
// syntax is RE2's (docs/scenarios.md lists how it differs from the
// ECMAScript users may know: no back-references, no lookaround); a pattern
// RE2 rejects, or one longer than kMaxUserRegexBytes, is an error at load
// time. A UserRegex is immutable and may be copied and searched from any
// thread.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace ptsim {

// The flags for ptsim's own fixed patterns that are matched against input
// (anchored, so linear with libstdc++'s breadth-first matcher).
inline constexpr auto kLinearRegex = std::regex::ECMAScript | std::regex_constants::__polynomial;

inline constexpr std::size_t kMaxUserRegexBytes = 1024;

class UserRegex {
 public:
  // Whether the expression matches somewhere in `text` (all of it is searched).
  bool Search(std::string_view text) const;
  const std::string& pattern() const;

 private:
  friend std::optional<UserRegex> CompileUserRegex(const std::string&, std::string*);
  explicit UserRegex(std::shared_ptr<const re2::RE2> re) : re_(std::move(re)) {}
  std::shared_ptr<const re2::RE2> re_;
};

// The compiled expression, or nullopt with the reason in *error.
std::optional<UserRegex> CompileUserRegex(const std::string& pattern, std::string* error);

inline bool SearchUserRegex(const UserRegex& re, std::string_view text) {
  return re.Search(text);
}

}  // namespace ptsim
