#include "fakes/process/log_line_splitter.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ptsim {
namespace {

using Pieces = std::vector<std::pair<std::string, bool>>;

struct Collect {
  Pieces pieces;
  std::size_t most_buffered = 0;
  LogLineSplitter splitter;
  explicit Collect(std::size_t max) : splitter(max) {}
  void Feed(std::string_view data) {
    splitter.Feed(data, [&](std::string_view l, bool p) { pieces.emplace_back(l, p); });
    most_buffered = std::max(most_buffered, splitter.buffered());
  }
  void Flush() {
    splitter.Flush([&](std::string_view l, bool p) { pieces.emplace_back(l, p); });
  }
};

TEST_CASE("the splitter cuts at newlines across reads") {
  Collect c(8);
  c.Feed("ab\ncd");
  c.Feed("e\n\nf");
  c.Flush();
  CHECK(c.pieces == Pieces{{"ab", false}, {"cde", false}, {"", false}, {"f", true}});
}

TEST_CASE("the splitter cuts a long line into pieces of the maximum size") {
  Collect c(4);
  c.Feed("abcdefghij\nxy");
  c.Feed("z\n");
  c.Flush();
  CHECK(c.pieces == Pieces{{"abcd", true}, {"efgh", true}, {"ij", false}, {"xyz", false}});
}

TEST_CASE("a line of exactly the maximum size is one full line") {
  Collect c(4);
  c.Feed("abcd");
  c.Feed("\nefgh\n");
  CHECK(c.pieces == Pieces{{"abcd", false}, {"efgh", false}});
}

TEST_CASE("the splitter buffers at most one piece of an endless line") {
  Collect c(kMaxLogLineBytes);
  const std::string chunk(4096, 'x');
  for (int i = 0; i < 1000; ++i)
    c.Feed(chunk);
  CHECK(c.most_buffered <= kMaxLogLineBytes);
  CHECK(c.pieces.size() == 4096 * 1000 / kMaxLogLineBytes - 1);
  for (const auto& [piece, partial] : c.pieces) {
    CHECK(piece.size() == kMaxLogLineBytes);
    CHECK(partial);
  }
}

}  // namespace
}  // namespace ptsim
