// Writing a file so that readers see either the old contents or the whole new
// contents, never a torn file: write a temporary file beside the target, fsync
// it, rename it over the target, then fsync the directory. A crash at any
// point leaves at most a stray "<name>.tmp.<pid>" file. Any thread, but not
// for the same path from two threads at once.
#pragma once

#include <string>
#include <string_view>

#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

// REQUIRES: the directory of `path` exists.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace ptsim::worker
