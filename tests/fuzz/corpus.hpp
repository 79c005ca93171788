// Seed inputs for the fuzz targets, drawn from the repository at build time
// rather than kept as copies: the shipped scenarios, manifests and Flyte files
// for the file targets, and what those files and the docs contain for the
// small grammars (container scripts, torchrun command lines, durations,
// quantities, selectors, --fault examples). Single-threaded.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace ptsim::fuzz {

// Inputs by target name (targets.hpp), each list without duplicates.
// `source_dir` is the repository's root.
std::map<std::string, std::vector<std::string>> SeedInputs(const std::string& source_dir);

}  // namespace ptsim::fuzz
