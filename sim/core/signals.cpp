#include "sim/core/signals.hpp"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <string>

namespace ptsim {
namespace {

struct Named {
  const char* name;
  int number;
};

constexpr Named kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"BUS", SIGBUS},   {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU}, {"URG", SIGURG},   {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ}, {"SYS", SIGSYS},
};

}  // namespace

std::optional<int> ParseSignal(std::string_view text) {
  std::string s(text);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  if (!s.empty() &&
      std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (s.size() > 2) return std::nullopt;
    const int n = std::stoi(s);
    if (n >= 1 && n <= 64) return n;
    return std::nullopt;
  }
  if (s.rfind("SIG", 0) == 0) s = s.substr(3);
  for (const auto& named : kSignals) {
    if (s == named.name) return named.number;
  }
  return std::nullopt;
}

std::string SignalName(int signal) {
  for (const auto& named : kSignals) {
    if (named.number == signal) return std::string("SIG") + named.name;
  }
  return "SIG" + std::to_string(signal);
}

}  // namespace ptsim
