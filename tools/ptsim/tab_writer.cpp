#include "tools/ptsim/tab_writer.hpp"

#include <algorithm>

namespace ptsim::cli {
namespace {

// Width in code points, as tabwriter counts UTF-8 text.
int Width(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

void TabWriter::Write(std::string_view text) {
  for (char c : text) {
    if (c == '\t') {
      lines_.back().emplace_back();
    } else if (c == '\n') {
      lines_.emplace_back(Line{""});
    } else {
      lines_.back().back() += c;
    }
  }
}

// Go's Writer.format: finds the blocks of `column` among lines [line0,
// line1), sets their width and formats the columns to their right.
void TabWriter::Format(std::size_t line0, std::size_t line1, std::size_t column) {
  for (std::size_t at = line0; at < line1; ++at) {
    if (column + 1 >= lines_[at].size()) continue;
    WriteLines(line0, at);
    line0 = at;
    int width = min_width_;
    for (; at < line1 && column + 1 < lines_[at].size(); ++at)
      width = std::max(width, Width(lines_[at][column]) + padding_);
    widths_.push_back(width);
    Format(line0, at, column + 1);
    widths_.pop_back();
    line0 = at;
    if (at >= line1) return;
  }
  WriteLines(line0, line1);
}

void TabWriter::WriteLines(std::size_t line0, std::size_t line1) {
  for (std::size_t i = line0; i < line1; ++i) {
    const Line& line = lines_[i];
    for (std::size_t j = 0; j < line.size(); ++j) {
      out_ += line[j];
      if (j < widths_.size()) out_.append(std::max(0, widths_[j] - Width(line[j])), ' ');
    }
    if (i + 1 < lines_.size()) out_ += '\n';
  }
}

void TabWriter::Flush() {
  // The last line is the one being written (no newline yet).
  const std::size_t complete = lines_.size() - 1;
  Format(0, complete, 0);
  Line rest = std::move(lines_.back());
  lines_.assign(1, std::move(rest));
}

std::string TabWriter::Text() {
  Flush();
  for (const auto& cell : lines_.back())
    out_ += cell;
  lines_.assign(1, Line{""});
  return std::move(out_);
}

}  // namespace ptsim::cli
