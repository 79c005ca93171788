#include "fakes/process/log_line_splitter.hpp"

namespace ptsim {

LogLineSplitter::LogLineSplitter(std::size_t max_line_bytes) : max_(max_line_bytes) {
  pending_.reserve(max_);
}

void LogLineSplitter::Feed(std::string_view data, const Emit& emit) {
  while (!data.empty()) {
    if (pending_.size() == max_) {
      // A line of exactly max_ bytes followed by its newline is one full line;
      // anything else after max_ bytes makes them a partial piece.
      const bool ends_here = data.front() == '\n';
      emit(pending_, !ends_here);
      pending_.clear();
      if (ends_here) data.remove_prefix(1);
      continue;
    }
    const std::string_view window = data.substr(0, max_ - pending_.size());
    const std::size_t nl = window.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(window);
      data.remove_prefix(window.size());
      continue;
    }
    if (pending_.empty()) {
      emit(window.substr(0, nl), false);
    } else {
      pending_.append(window.substr(0, nl));
      emit(pending_, false);
      pending_.clear();
    }
    data.remove_prefix(nl + 1);
  }
}

void LogLineSplitter::Flush(const Emit& emit) {
  if (pending_.empty()) return;
  emit(pending_, true);
  pending_.clear();
}

}  // namespace ptsim
