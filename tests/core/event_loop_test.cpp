#include "sim/core/event_loop.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ptsim {
namespace {

TEST_CASE("callbacks at equal virtual times run in the order they were scheduled") {
  ManualWallClock wall;
  EventLoop loop(wall);
  std::vector<std::string> order;
  loop.At(kRunStart + Seconds(5), [&] { order.push_back("b"); });
  loop.At(kRunStart + Seconds(1), [&] { order.push_back("a"); });
  loop.At(kRunStart + Seconds(5), [&] { order.push_back("c"); });
  loop.At(kRunStart + Seconds(5), [&] { loop.Post([&] { order.push_back("e"); }); });
  loop.At(kRunStart + Seconds(5), [&] { order.push_back("d"); });
  CHECK(loop.Run() == EventLoop::Outcome::kIdle);
  CHECK(order == std::vector<std::string>{"a", "b", "c", "d", "e"});
}

TEST_CASE("with nothing real runnable the clock jumps to the next timer") {
  ManualWallClock wall;
  EventLoop loop(wall);
  std::vector<double> seen;
  loop.After(Seconds(3600), [&] { seen.push_back(ToSeconds(loop.Now())); });
  loop.After(Seconds(10), [&] { seen.push_back(ToSeconds(loop.Now())); });
  loop.Run();
  CHECK(seen == std::vector<double>{10.0, 3600.0});
  CHECK(wall.Now() == Duration{0});  // no wall time passed
}

TEST_CASE("while a real-time hold exists virtual time follows the wall clock") {
  ManualWallClock wall;
  EventLoop loop(wall);
  loop.After(Seconds(10), [] {});
  loop.Run();
  REQUIRE(loop.Now() == kRunStart + Seconds(10));
  auto hold = loop.HoldRealTime();
  wall.Advance(Seconds(2));
  CHECK(loop.Now() == kRunStart + Seconds(12));
  hold.Release();
  wall.Advance(Seconds(100));
  CHECK(loop.Now() == kRunStart + Seconds(12));  // frozen again; jumps only to timers
}

TEST_CASE("a cancelled callback never runs and cancelling twice reports false") {
  ManualWallClock wall;
  EventLoop loop(wall);
  bool ran = false;
  auto id = loop.After(Seconds(1), [&] { ran = true; });
  auto copy = id;
  CHECK(loop.Cancel(id));
  CHECK_FALSE(id);
  CHECK_FALSE(loop.Cancel(copy));
  loop.Run();
  CHECK_FALSE(ran);
}

TEST_CASE("Run stops at a deadline with the clock set to the deadline") {
  ManualWallClock wall;
  EventLoop loop(wall);
  int runs = 0;
  loop.After(Seconds(5), [&] { ++runs; });
  loop.After(Seconds(50), [&] { ++runs; });
  CHECK(loop.Run(kRunStart + Seconds(20)) == EventLoop::Outcome::kDeadline);
  CHECK(runs == 1);
  CHECK(loop.Now() == kRunStart + Seconds(20));
  CHECK(loop.Run() == EventLoop::Outcome::kIdle);
  CHECK(runs == 2);
}

TEST_CASE("Run returns when the predicate holds or when stopped") {
  ManualWallClock wall;
  EventLoop loop(wall);
  int n = 0;
  for (int i = 1; i <= 10; ++i) loop.After(Seconds(i), [&] { ++n; });
  CHECK(loop.Run(kNever, [&] { return n == 3; }) == EventLoop::Outcome::kPredicate);
  CHECK(loop.Now() == kRunStart + Seconds(3));
  loop.After(Seconds(1), [&] { loop.Stop(); });
  CHECK(loop.Run() == EventLoop::Outcome::kStopped);
}

TEST_CASE("a callback scheduled in the past runs now, after what is already due") {
  ManualWallClock wall;
  EventLoop loop(wall);
  std::vector<int> order;
  loop.After(Seconds(5), [&] {
    loop.At(kRunStart + Seconds(1), [&] { order.push_back(2); });
    order.push_back(1);
  });
  loop.Run();
  CHECK(order == std::vector<int>{1, 2});
  CHECK(loop.Now() == kRunStart + Seconds(5));
}

}  // namespace
}  // namespace ptsim
