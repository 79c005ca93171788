// "Did you mean": the nearest of a set of known words to a word that matched
// none of them, for error messages about misspelt names (kinds, image
// references, command-line options). Pure functions; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ptsim {

// Levenshtein distance, ignoring ASCII case: "pytorchjob" is 0 from
// "PyTorchJob", "PytorchJobs" 1.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` within `max_distance` edits (ties: the
// first), or "" when none is that close. `word` itself never matches.
std::string Nearest(std::string_view word, const std::vector<std::string>& candidates,
                    std::size_t max_distance);

// "; did you mean \"X\"?" for the nearest candidate, or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates,
                       std::size_t max_distance);

}  // namespace ptsim
