// The bytes of one input file (a manifest, a scenario, a Flyte task), read and
// checked before any YAML parser sees them: at most kMaxInputFileBytes, valid
// UTF-8, and no control characters but tab, line feed and carriage return,
// the characters go-yaml's reader (and so kubectl) accepts. Errors name the
// file and, for bad bytes, the line and column. Pure functions; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/core/diagnostics.hpp"

namespace ptsim {

// The largest input file ptsim reads: 4 MiB. The API server refuses a request
// body over 3 MiB (one object); a file may hold a few objects and comments.
inline constexpr std::size_t kMaxInputFileBytes = std::size_t{4} << 20;

// The whole file, or an error naming it: missing, unreadable, a directory, or
// larger than kMaxInputFileBytes (a pipe or device is read up to the limit).
Result<std::string> ReadInputFile(const std::string& path);

// Reports (once, at the first offence) bytes that are not UTF-8 and control
// characters YAML does not allow, at file:line:column (columns count
// characters). A UTF-8 byte order mark at the start is allowed.
void CheckInputText(std::string_view text, const std::string& path, Diagnostics* diagnostics);

// The 1-based line and column (in characters) of byte `offset` of `text`.
SourceLocation LocateOffset(std::string_view text, std::size_t offset, const std::string& path);

}  // namespace ptsim
