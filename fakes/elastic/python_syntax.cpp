#include "fakes/elastic/python_syntax.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace ptsim::elastic {

namespace {

bool IsSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || c == '\x1c' || c == '\x1d' || c == '\x1e' ||
         c == '\x1f';
}

// Digits with single underscores between them (PEP 515), as int() and float() accept.
bool StripUnderscores(std::string_view digits, std::string* out) {
  if (digits.empty()) return false;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    if (c == '_') {
      if (i == 0 || i + 1 == digits.size() || digits[i + 1] == '_' ||
          !std::isdigit(static_cast<unsigned char>(digits[i - 1]))) {
        return false;
      }
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out->push_back(c);
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view PyStrip(std::string_view text) {
  while (!text.empty() && IsSpace(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back()))
    text.remove_suffix(1);
  return text;
}

std::optional<std::int64_t> PyInt(std::string_view text) {
  text = PyStrip(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  std::string digits;
  if (!StripUnderscores(text, &digits)) return std::nullopt;
  std::int64_t value = 0;
  for (char c : digits) {
    const int d = c - '0';
    if (value > (std::numeric_limits<std::int64_t>::max() - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  return negative ? -value : value;
}

std::optional<double> PyFloat(std::string_view text) {
  text = PyStrip(text);
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  const std::string lower = Lower(body);
  if (lower == "inf" || lower == "infinity") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (lower == "nan") return std::numeric_limits<double>::quiet_NaN();
  // mantissa: digits [. digits] | . digits ; exponent: e [sign] digits
  std::string normal;
  std::string_view rest = body;
  auto take_digits = [&](std::string* out) {
    std::size_t n = 0;
    while (n < rest.size() && (std::isdigit(static_cast<unsigned char>(rest[n])) || rest[n] == '_'))
      ++n;
    if (n == 0) return true;
    const bool ok = StripUnderscores(rest.substr(0, n), out);
    rest.remove_prefix(n);
    return ok;
  };
  std::string int_part, frac_part, exp_part;
  if (!take_digits(&int_part)) return std::nullopt;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    if (!take_digits(&frac_part)) return std::nullopt;
  }
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  if (!rest.empty() && (rest.front() == 'e' || rest.front() == 'E')) {
    rest.remove_prefix(1);
    std::string sign;
    if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
      sign = std::string(1, rest.front());
      rest.remove_prefix(1);
    }
    if (!take_digits(&exp_part) || exp_part.empty()) return std::nullopt;
    exp_part = sign + exp_part;
  }
  if (!rest.empty()) return std::nullopt;
  normal = (negative ? "-" : "") + (int_part.empty() ? "0" : int_part) + "." +
           (frac_part.empty() ? "0" : frac_part) + (exp_part.empty() ? "" : "e" + exp_part);
  return std::strtod(normal.c_str(), nullptr);
}

std::string PyTimedelta(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  std::string clock = fmt::format("{}:{:02}:{:02}", rest / 3600, (rest / 60) % 60, rest % 60);
  if (days == 0) return clock;
  return fmt::format("{} day{}, {}", days, (days == 1 || days == -1) ? "" : "s", clock);
}

std::optional<bool> PyRendezvousBool(std::string_view text) {
  const std::string v = Lower(text);
  if (v == "1" || v == "true" || v == "t" || v == "yes" || v == "y") return true;
  if (v == "0" || v == "false" || v == "f" || v == "no" || v == "n") return false;
  return std::nullopt;
}

}  // namespace ptsim::elastic
