#include "sim/model/user_regex.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

namespace ptsim {
namespace {

UserRegex Compile(const std::string& pattern) {
  std::string why;
  auto re = CompileUserRegex(pattern, &why);
  INFO(why);
  REQUIRE(re);
  return *re;
}

std::string Refused(const std::string& pattern) {
  std::string why;
  CHECK_FALSE(CompileUserRegex(pattern, &why));
  return why;
}

// std::regex overflowed the stack on `.*` against a line of some 50 KB
// (libstdc++ PR 86164): a tqdm bar without newlines makes such lines.
TEST_CASE("a .* pattern against a 1 MiB line neither crashes nor is slow") {
  const std::string line = std::string(1 << 20, 'x') + "END";
  const auto start = std::chrono::steady_clock::now();
  CHECK(Compile(".*").Search(line));
  CHECK(Compile("^.*END$").Search(line));  // the whole line is searched
  CHECK(Compile("(x+x+)+y|.*E.D").Search(line));
  CHECK_FALSE(Compile("(x+x+)+y").Search(line));  // exponential for a backtracker
  CHECK_FALSE(Compile(".*y").Search(line));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}

TEST_CASE("user patterns keep the common ECMAScript syntax") {
  CHECK(Compile(R"(step \d+/\d+ loss=[0-9.]+)").Search("epoch 1 step 50/100 loss=0.25"));
  CHECK(Compile(R"(\bRANK=\w+\s)").Search("x RANK=3 y"));
  CHECK(Compile("(?:a|b){2,3}c").Search("zzabac"));
  CHECK(Compile("^Traceback").Search("Traceback (most recent call last):"));
  CHECK_FALSE(Compile("^Traceback").Search("  Traceback"));
  CHECK(Compile("(?i)error").Search("ERROR: x"));
}

TEST_CASE("a pattern RE2 cannot run in linear time is refused with the reason") {
  CHECK(Refused(R"((a)\1)") ==
        "invalid escape sequence: \\1 (ptsim uses RE2 syntax: no back-references or lookaround)");
  CHECK(Refused("a(?=b)").find("invalid perl operator: (?=") == 0);
  CHECK(Refused("a(?<!b)").find("invalid perl operator: (?<") == 0);
  CHECK(Refused("step (").find("missing ): step (") == 0);
  CHECK(Refused(std::string(2000, 'a')).find("the expression is 2000 bytes long") == 0);
}

}  // namespace
}  // namespace ptsim
