#include "sim/core/interrupts.hpp"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <thread>
#include <vector>

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

namespace ptsim {
namespace {

// A destroyed loop's wake-up descriptor is unregistered before it is closed:
// its number, reused by the next file opened (a report being written), must
// not receive the handler's 8 bytes. It did: reports written while a signal
// arrived ended in "\x01\0\0\0\0\0\0\0".
TEST_CASE(
    "an interrupt after a loop is gone writes nothing to a descriptor that reused its number") {
  InterruptCatcher catcher;
  {
    SteadyWallClock wall;
    EventLoop loop(wall);
    loop.WatchInterrupts([](int) {});
  }
  // Files take the lowest free numbers: among them, the loop's eventfd's.
  std::vector<int> files;
  std::vector<std::string> paths;
  for (int i = 0; i < 8; ++i) {
    char path[] = "/tmp/ptsim-interrupt-XXXXXX";
    const int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    files.push_back(fd);
    paths.emplace_back(path);
  }
  ::raise(SIGTERM);
  for (std::size_t i = 0; i < files.size(); ++i) {
    INFO("descriptor " << files[i]);
    CHECK(::lseek(files[i], 0, SEEK_END) == 0);
    ::close(files[i]);
    ::unlink(paths[i].c_str());
  }
}

}  // namespace
}  // namespace ptsim
