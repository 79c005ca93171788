#include "sim/core/interrupts.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace ptsim {
namespace {

constexpr int kCaught[] = {SIGINT, SIGTERM, SIGHUP};
constexpr std::size_t kWakeSlots = 256;

// Process-wide by necessity: a signal handler receives no context.
std::atomic<std::uint64_t> g_count{0};
std::atomic<int> g_last{0};
std::atomic<bool> g_installed{false};
std::atomic<std::uint64_t> g_installed_at{0};  // the count when the catcher was installed
std::atomic<bool> g_exit_on_interrupt{false};
// Registered descriptors plus one; 0 marks a free slot.
std::atomic<int> g_wake_fds[kWakeSlots];
struct sigaction g_previous[std::size(kCaught)];

static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<int>::is_always_lock_free);

// Written from the handler, so spelled out in advance (strsignal is not
// async-signal-safe); the words are strsignal's.
void ExitFromHandler(int signal) {
  const char* text = signal == SIGINT    ? "ptsim: interrupted (Interrupt) before anything ran\n"
                     : signal == SIGTERM ? "ptsim: interrupted (Terminated) before anything ran\n"
                                         : "ptsim: interrupted (Hangup) before anything ran\n";
  std::size_t n = 0;
  while (text[n] != '\0')
    ++n;
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, text, n);
  ::_exit(128 + signal);
}

extern "C" void OnInterrupt(int signal) {
  if (g_exit_on_interrupt.load(std::memory_order_relaxed)) ExitFromHandler(signal);
  const int saved_errno = errno;
  g_last.store(signal, std::memory_order_relaxed);
  const std::uint64_t count = g_count.fetch_add(1, std::memory_order_release) + 1;
  const std::uint64_t one = 1;
  for (auto& slot : g_wake_fds) {
    const int fd = slot.load(std::memory_order_acquire) - 1;
    if (fd >= 0) [[maybe_unused]]
      auto n = ::write(fd, &one, sizeof one);
  }
  // A third interrupt means ptsim is not ending: die by the signal itself
  // (it is delivered when this handler returns); the orphan guard then kills
  // whatever still runs.
  if (count - g_installed_at.load(std::memory_order_relaxed) >= 3) {
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    ::sigaction(signal, &fallback, nullptr);
    ::raise(signal);
  }
  errno = saved_errno;
}

}  // namespace

InterruptCatcher::InterruptCatcher() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  for (int s : kCaught)
    sigaddset(&action.sa_mask, s);
  action.sa_flags = SA_RESTART;
  g_installed_at.store(g_count.load());
  for (std::size_t i = 0; i < std::size(kCaught); ++i)
    ::sigaction(kCaught[i], &action, &g_previous[i]);
  g_installed.store(true);
}

InterruptCatcher::~InterruptCatcher() {
  for (std::size_t i = 0; i < std::size(kCaught); ++i)
    ::sigaction(kCaught[i], &g_previous[i], nullptr);
  g_installed.store(false);
  g_exit_on_interrupt.store(false);
}

std::uint64_t InterruptCatcher::Count() {
  return g_count.load(std::memory_order_acquire);
}

int InterruptCatcher::LastSignal() {
  return g_last.load(std::memory_order_relaxed);
}

void InterruptCatcher::SetExitOnInterrupt(bool on) {
  g_exit_on_interrupt.store(on);
}

bool InterruptCatcher::Installed() {
  return g_installed.load();
}

bool InterruptCatcher::AddWakeFd(int fd) {
  for (auto& slot : g_wake_fds) {
    int expected = 0;
    if (slot.compare_exchange_strong(expected, fd + 1)) return true;
  }
  return false;
}

void InterruptCatcher::RemoveWakeFd(int fd) {
  for (auto& slot : g_wake_fds) {
    int expected = fd + 1;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

}  // namespace ptsim
