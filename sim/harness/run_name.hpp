// A run's name becomes a directory under the runs directory
// (<runs-dir>/<name>, with "-2", "-r3" suffixes for repeated names). It comes
// from the scenario's `name` (an RFC 1123 label) or from the input file's name
// without directory and extension, which may be anything a file can be called.
// CheckRunName says whether the name can only ever be one directory directly
// below the runs directory. Plain function.
#pragma once

#include <string>

namespace ptsim {

// The longest run name: a file name may have 255 bytes, and suffixes follow.
constexpr std::size_t kMaxRunNameBytes = 200;

// "" when `name` is one safe path component: not empty, not "." or "..", no
// '/', no control character, at most kMaxRunNameBytes. Else what is wrong.
std::string CheckRunName(const std::string& name);

}  // namespace ptsim
