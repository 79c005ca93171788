#include "sim/core/random.hpp"

#include <catch2/catch.hpp>
#include <set>

namespace ptsim {
namespace {

TEST_CASE("the same seed gives the same stream and different seeds differ") {
  Random a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.Next();
    CHECK(x == b.Next());
    CHECK(x != c.Next());
  }
}

TEST_CASE("forked streams are independent of draws on the parent") {
  Random a(7), b(7);
  (void)b.Next();
  CHECK(a.Fork("faults").Next() == b.Fork("faults").Next());
  CHECK(a.Fork("faults").Next() != a.Fork("uids").Next());
}

TEST_CASE("Uniform stays in range and covers it") {
  Random r(1);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto x = r.Uniform(6);
    REQUIRE(x < 6);
    seen.insert(x);
  }
  CHECK(seen.size() == 6);
}

TEST_CASE("Uuid has the RFC 4122 shape and is reproducible") {
  Random a(5), b(5);
  const auto u = a.Uuid();
  CHECK(u == b.Uuid());
  REQUIRE(u.size() == 36);
  CHECK(u[8] == '-');
  CHECK(u[14] == '4');
}

}  // namespace
}  // namespace ptsim
