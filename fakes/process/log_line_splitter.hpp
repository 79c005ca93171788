// Cuts a container's output stream into log lines the way the container
// runtime does: at each '\n', and a line longer than kMaxLogLineBytes into
// pieces of that size, which the runtime writes as partial ("P") entries of
// the CRI log format (containerd's pkg/cri/io/logger.go redirectLogs, its
// max_container_log_line_size defaulting to 16 KiB; CRI-O splits likewise).
// Each byte is looked at once and at most kMaxLogLineBytes are buffered, so a
// process writing gigabytes without a newline costs linear time and bounded
// memory. Owned by one container's reader; single thread.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace ptsim {

inline constexpr std::size_t kMaxLogLineBytes = 16 * 1024;

class LogLineSplitter {
 public:
  // `line` has no '\n'; `partial` is true for a piece of a longer line (more
  // of that line follows) and for the unterminated rest that Flush delivers.
  using Emit = std::function<void(std::string_view line, bool partial)>;

  // REQUIRES: max_line_bytes > 0.
  explicit LogLineSplitter(std::size_t max_line_bytes = kMaxLogLineBytes);

  // Emits every line or piece that `data` completes, in order.
  void Feed(std::string_view data, const Emit& emit);
  // Emits what is buffered (output that ended without a newline), if any.
  void Flush(const Emit& emit);

  std::size_t buffered() const { return pending_.size(); }

 private:
  std::size_t max_;
  std::string pending_;  // the current line so far; never longer than max_
};

}  // namespace ptsim
