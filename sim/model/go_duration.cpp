#include "sim/model/go_duration.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>

#include "sim/core/go_quote.hpp"

namespace ptsim {

std::optional<Duration> ParseGoDuration(std::string_view text, std::string* error) {
  std::string_view s = text;
  auto fail = [&](std::string why) -> std::optional<Duration> {
    *error = std::move(why);
    return std::nullopt;
  };
  if (s.empty()) return fail("empty duration; write it like 90s, 10m or 1h30m");
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration{0};
  long double total_ns = 0;
  bool any = false;
  while (!s.empty()) {
    std::size_t i = 0;
    long double value = 0;
    long double fraction = 1;
    bool dot = false;
    bool digits = false;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        digits = true;
        if (dot) {
          fraction /= 10;
          value += (c - '0') * fraction;
        } else {
          value = value * 10 + (c - '0');
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (!digits)
      return fail(
          fmt::format("invalid duration {}; write it like 90s, 10m or 1h30m", GoQuote(text)));
    s.remove_prefix(i);
    std::size_t u = 0;
    while (u < s.size() && !std::isdigit(static_cast<unsigned char>(s[u])) && s[u] != '.')
      ++u;
    const std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    long double scale = 0;
    if (unit == "ns")
      scale = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs")
      scale = 1e3L;
    else if (unit == "ms")
      scale = 1e6L;
    else if (unit == "s")
      scale = 1e9L;
    else if (unit == "m")
      scale = 60e9L;
    else if (unit == "h")
      scale = 3600e9L;
    else if (unit.empty())
      return fail(fmt::format("missing unit in duration {}; write it like {}s", GoQuote(text),
                              EscapeUnprintable(text)));
    else
      return fail(fmt::format("unknown unit {} in duration {}; use ns, us, ms, s, m or h",
                              GoQuote(unit), GoQuote(text)));
    total_ns += value * scale;
    any = true;
  }
  if (!any) return fail(fmt::format("invalid duration {}", GoQuote(text)));
  if (total_ns > 9.2e18L) return fail(fmt::format("duration {} is too long", GoQuote(text)));
  const auto ns = static_cast<Duration::rep>(total_ns + 0.5L);
  return Duration{negative ? -ns : ns};
}

std::string GoDurationString(Duration d) {
  std::int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  std::uint64_t u = ns < 0 ? static_cast<std::uint64_t>(-ns) : static_cast<std::uint64_t>(ns);
  auto fraction = [](std::uint64_t value, int digits) {
    // value has `digits` fractional digits; print without trailing zeros.
    std::string s = std::to_string(value);
    while (static_cast<int>(s.size()) <= digits)
      s = "0" + s;
    std::string whole = s.substr(0, s.size() - static_cast<std::size_t>(digits));
    std::string frac = s.substr(s.size() - static_cast<std::size_t>(digits));
    while (!frac.empty() && frac.back() == '0')
      frac.pop_back();
    return frac.empty() ? whole : whole + "." + frac;
  };
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000'000) return sign + fraction(u, 3) + "\u00b5s";
  if (u < 1000'000'000) return sign + fraction(u, 6) + "ms";
  const std::uint64_t total_seconds_ns = u;
  const std::uint64_t hours = total_seconds_ns / 3600'000'000'000ull;
  const std::uint64_t minutes = (total_seconds_ns / 60'000'000'000ull) % 60;
  const std::uint64_t seconds_ns = total_seconds_ns % 60'000'000'000ull;
  std::string out = sign;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += fraction(seconds_ns, 9) + "s";
  return out;
}

}  // namespace ptsim
