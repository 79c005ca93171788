#include "tools/ptsim-worker/duration.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ptsim::worker {
namespace {

struct Unit {
  std::string_view name;
  double nanos;
};

// Longest names first so that "ms" is not read as "m" followed by "s".
constexpr std::array<Unit, 7> kUnits{{
    {"ns", 1.0},
    {"us", 1e3},
    {"\u00b5s", 1e3},
    {"ms", 1e6},
    {"s", 1e9},
    {"m", 60e9},
    {"h", 3600e9},
}};

Error Invalid(std::string_view why) {
  return Error{fmt::format("{} (write a duration such as 10ms, 1.5s, 2m or 1h)", why)};
}

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  if (text == "0") return Duration::zero();
  if (text.empty()) return Invalid("empty");
  if (text.front() == '-') return Invalid("durations cannot be negative");
  std::string_view rest = text;
  if (rest.front() == '+') rest.remove_prefix(1);
  double total = 0;
  while (!rest.empty()) {
    std::size_t n = 0;
    bool digits = false;
    while (n < rest.size() && (rest[n] == '.' || (rest[n] >= '0' && rest[n] <= '9'))) {
      digits = digits || rest[n] != '.';
      ++n;
    }
    if (!digits) return Invalid("expected a number");
    double number = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + n, number);
    if (ec != std::errc() || end != rest.data() + n) return Invalid("malformed number");
    rest.remove_prefix(n);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (rest.starts_with(u.name) && (unit == nullptr || u.name.size() > unit->name.size())) {
        unit = &u;
      }
    }
    if (unit == nullptr) {
      return Invalid(rest.empty() ? "missing unit" : "unknown unit");
    }
    rest.remove_prefix(unit->name.size());
    total += number * unit->nanos;
  }
  if (!std::isfinite(total) ||
      total >= static_cast<double>(std::numeric_limits<std::int64_t>::max())) {
    return Invalid("too long");
  }
  return Duration(std::llround(total));
}

std::string FormatDuration(Duration d) {
  const std::int64_t ns = d.count();
  if (ns == 0) return "0s";
  if (ns < 0) return "-" + FormatDuration(-d);
  if (ns < 1'000'000'000) {
    if (ns % 1'000'000 == 0) return fmt::format("{}ms", ns / 1'000'000);
    if (ns % 1'000 == 0) return fmt::format("{}us", ns / 1'000);
    return fmt::format("{}ns", ns);
  }
  const std::int64_t hours = ns / 3'600'000'000'000;
  const std::int64_t minutes = ns / 60'000'000'000 % 60;
  const std::int64_t sub_minute = ns % 60'000'000'000;
  std::string out;
  if (hours > 0) out += fmt::format("{}h", hours);
  if (minutes > 0) out += fmt::format("{}m", minutes);
  if (sub_minute > 0) {
    std::string seconds =
        fmt::format("{}.{:09}", sub_minute / 1'000'000'000, sub_minute % 1'000'000'000);
    while (seconds.back() == '0')
      seconds.pop_back();
    if (seconds.back() == '.') seconds.pop_back();
    out += seconds + "s";
  }
  return out;
}

}  // namespace ptsim::worker
