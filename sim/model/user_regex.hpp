// Regular expressions written by users (a fault's logLine, an expectation's
// message or log pattern), compiled and matched so that matching them against
// anything a process prints cannot crash or stall ptsim: ECMAScript syntax,
// at most kMaxUserRegexBytes, and libstdc++'s breadth-first matcher
// (regex_constants::__polynomial), whose recursion does not grow with the
// length of the text -- the default depth-first matcher overflows the stack
// on a line of some ten thousand characters, and is exponential on nested
// repetitions. Back-references, which only the depth-first matcher supports,
// are refused. A search looks at the first kMaxUserRegexSubjectBytes of the
// text: a breadth-first search is quadratic in the text for a pattern such as
// `.*x`. Any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace ptsim {

// The flags for ptsim's own fixed patterns that are matched against input
// (anchored, so linear with the breadth-first matcher).
inline constexpr auto kLinearRegex = std::regex::ECMAScript | std::regex_constants::__polynomial;

inline constexpr std::size_t kMaxUserRegexBytes = 1024;
inline constexpr std::size_t kMaxUserRegexSubjectBytes = 4096;

// The compiled expression, or nullopt with the reason in *error.
std::optional<std::regex> CompileUserRegex(const std::string& pattern, std::string* error);

// std::regex_search on the first kMaxUserRegexSubjectBytes of `text`.
// REQUIRES: `re` came from CompileUserRegex.
bool SearchUserRegex(const std::regex& re, std::string_view text);

}  // namespace ptsim
