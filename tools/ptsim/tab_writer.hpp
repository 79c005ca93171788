// Column alignment as Go's text/tabwriter does it for kubectl: text is cut
// into cells at tabs; consecutive lines that have a cell in a column form a
// block whose width is its widest cell plus `padding` (at least `min_width`);
// the last cell of a line is not aligned; a line with fewer cells ends the
// blocks to its right. kubectl describe uses (0, 2) (describe.go
// tabbedString), kubectl get and events (6, 3) (cli-runtime printers
// GetNewTabWriter). Plain data; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ptsim::cli {

class TabWriter {
 public:
  TabWriter(int min_width, int padding) : min_width_(min_width), padding_(padding) {}

  void Write(std::string_view text);
  // Aligns and emits what was written so far; later text aligns on its own
  // (kubectl flushes before a describe's Events table).
  void Flush();
  // Everything, flushed.
  std::string Text();

 private:
  using Line = std::vector<std::string>;  // cells; the last one is not tab-terminated
  void Format(std::size_t line0, std::size_t line1, std::size_t column);
  void WriteLines(std::size_t line0, std::size_t line1);

  int min_width_;
  int padding_;
  std::vector<Line> lines_{Line{""}};
  std::vector<int> widths_;
  std::string out_;
};

}  // namespace ptsim::cli
