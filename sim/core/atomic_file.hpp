// Writes a whole file or nothing: the content goes to a temporary file in the
// same directory (so that the rename cannot cross file systems), every write
// and the close are checked, the data is fsync'ed, and only then is the file
// renamed over `path` (and the directory fsync'ed). A reader sees the old file
// or the new one, never an empty or cut one; on any error the temporary file
// is removed and `path` is left as it was.
// Thread-safe (no shared state); blocks on the disk.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptsim {

// Returns nullopt on success, or an error naming `path` and the system's
// reason ("cannot write runs/x/report.json: No space left on device").
std::optional<std::string> WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace ptsim
