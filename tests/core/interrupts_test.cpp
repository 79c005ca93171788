#include "sim/core/interrupts.hpp"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <thread>

#include "sim/core/event_loop.hpp"

namespace ptsim {
namespace {

TEST_CASE("a busy loop handles an interrupt before the callback after the one it arrived in") {
  InterruptCatcher catcher;
  ManualWallClock wall;
  EventLoop loop(wall);
  std::vector<int> signals;
  loop.WatchInterrupts([&](int signal) {
    signals.push_back(signal);
    loop.Stop();
  });
  // An endless chain of callbacks, never giving asio a turn.
  std::function<void()> busy = [&] {
    if (loop.callbacks_run() == 1000) ::raise(SIGTERM);
    loop.After(Seconds(1), busy);
  };
  loop.Post(busy);
  CHECK(loop.Run() == EventLoop::Outcome::kStopped);
  CHECK(loop.callbacks_run() == 1000);
  CHECK(signals == std::vector<int>{SIGTERM});
}

TEST_CASE("an interrupt wakes a loop waiting on the world") {
  InterruptCatcher catcher;
  SteadyWallClock wall;
  EventLoop loop(wall);
  int seen = 0;
  loop.WatchInterrupts([&](int signal) {
    seen = signal;
    loop.Stop();
  });
  auto hold = loop.HoldIo();  // nothing queued: the loop blocks in asio
  std::thread sender([] { ::kill(::getpid(), SIGHUP); });
  CHECK(loop.Run() == EventLoop::Outcome::kStopped);
  sender.join();
  CHECK(seen == SIGHUP);
}

TEST_CASE("interrupts that came before WatchInterrupts are not handled") {
  InterruptCatcher catcher;
  ::raise(SIGINT);
  ManualWallClock wall;
  EventLoop loop(wall);
  int handled = 0;
  loop.WatchInterrupts([&](int) { ++handled; });
  loop.Post([] {});
  CHECK(loop.Run() == EventLoop::Outcome::kIdle);
  CHECK(handled == 0);
}

}  // namespace
}  // namespace ptsim
