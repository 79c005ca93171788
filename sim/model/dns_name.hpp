// The name syntaxes of k8s.io/apimachinery/pkg/util/validation, matched by
// hand rather than with std::regex, whose matcher recurses once per character
// and overflows the stack on a long name. Each returns whether `value`
// matches the regular expression named; lengths are checked by the callers,
// which report them separately as apimachinery does. Pure; any thread.
#pragma once

#include <string_view>

namespace ptsim {

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool MatchesDns1123Label(std::string_view value);
// [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*
bool MatchesDns1123Subdomain(std::string_view value);
// [a-z]([-a-z0-9]*[a-z0-9])?
bool MatchesDns1035Label(std::string_view value);
// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]: the name part of a qualified
// name (a label key) and, when not empty, a label value.
bool MatchesQualifiedNamePart(std::string_view value);

}  // namespace ptsim
