// Output paths of `ptsim run` (--json, --junit, --html, --runs-dir), checked
// before anything runs: a path that cannot be written (a directory where a
// file goes, a file where a directory goes, no permission) is an error, so
// that exit status 2 keeps meaning "nothing was run". Only once every path
// passes are the missing directories made. Plain functions; main thread.
#pragma once

#include <string>

#include "tools/ptsim/commands.hpp"

namespace ptsim::cli {

// Checks the output paths of `options`, then makes their missing
// directories; prints every problem and "nothing was run" on stderr and
// returns false when one cannot be used.
bool PrepareOutputs(const RunOptions& options);

// A report file at `path`, named by `flag` in messages: "" when it can be
// written once its missing parent directories are made, else the error.
std::string CheckOutputFile(const std::string& flag, const std::string& path);
// A directory (the runs directory): "" when it exists or can be made and
// files can be made in it, else the error.
std::string CheckOutputDir(const std::string& flag, const std::string& path);
// Makes the directory `dir` and its parents; "" or the error.
std::string MakeDirectories(const std::string& flag, const std::string& dir);
// The directory a report file goes in: its parent, or ".".
std::string ParentOf(const std::string& path);

}  // namespace ptsim::cli
