#include "tools/ptsim-worker/signals.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <csignal>

namespace ptsim::worker {
namespace {

struct NamedSignal {
  std::string_view name;  // without "SIG"
  int number;
  bool ends_process;  // the default action terminates (with or without a core)
};

constexpr std::array<NamedSignal, 31> kSignals{{
    {"HUP", SIGHUP, true},    {"INT", SIGINT, true},       {"QUIT", SIGQUIT, true},
    {"ILL", SIGILL, true},    {"TRAP", SIGTRAP, true},     {"ABRT", SIGABRT, true},
    {"IOT", SIGIOT, true},    {"BUS", SIGBUS, true},       {"FPE", SIGFPE, true},
    {"KILL", SIGKILL, true},  {"USR1", SIGUSR1, true},     {"SEGV", SIGSEGV, true},
    {"USR2", SIGUSR2, true},  {"PIPE", SIGPIPE, true},     {"ALRM", SIGALRM, true},
    {"TERM", SIGTERM, true},  {"STKFLT", SIGSTKFLT, true}, {"CHLD", SIGCHLD, false},
    {"CONT", SIGCONT, false}, {"STOP", SIGSTOP, false},    {"TSTP", SIGTSTP, false},
    {"TTIN", SIGTTIN, false}, {"TTOU", SIGTTOU, false},    {"URG", SIGURG, false},
    {"XCPU", SIGXCPU, true},  {"XFSZ", SIGXFSZ, true},     {"VTALRM", SIGVTALRM, true},
    {"PROF", SIGPROF, true},  {"WINCH", SIGWINCH, false},  {"IO", SIGIO, true},
    {"SYS", SIGSYS, true},
}};

const NamedSignal* FindByNumber(int number) {
  for (const NamedSignal& s : kSignals) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

}  // namespace

Result<int> ParseCrashSignal(std::string_view text) {
  int number = 0;
  const NamedSignal* found = nullptr;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
    if (number < 1 || number > SIGRTMAX) {
      return Error{fmt::format("no signal has number {} (expected 1 to {})", number, SIGRTMAX)};
    }
    found = FindByNumber(number);
  } else {
    std::string upper;
    for (char c : text)
      upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string_view name = upper;
    if (name.starts_with("SIG")) name.remove_prefix(3);
    for (const NamedSignal& s : kSignals) {
      if (s.name == name) found = &s;
    }
    if (found == nullptr) {
      return Error{"unknown signal name (write e.g. SIGKILL, KILL, SEGV or 9)"};
    }
    number = found->number;
  }
  if (found != nullptr && !found->ends_process) {
    return Error{
        fmt::format("SIG{} does not end a process by default, so it cannot crash one "
                    "(use --hang-at-step to freeze a rank)",
                    found->name)};
  }
  return number;
}

std::string SignalName(int signal) {
  if (const NamedSignal* s = FindByNumber(signal)) return fmt::format("SIG{}", s->name);
  return fmt::format("signal {}", signal);
}

}  // namespace ptsim::worker
