#include "sim/model/quantity.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

namespace ptsim {
namespace {

constexpr char kFormatError[] =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

// Multiplier of a suffix in milli-units, as a (base, exponent) pair.
struct Scale {
  int base;  // 2 or 10
  int exponent;
};

std::optional<Scale> ParseSuffix(std::string_view s) {
  if (s.empty()) return Scale{10, 0};
  static constexpr std::pair<std::string_view, Scale> kSuffixes[] = {
      {"Ki", {2, 10}}, {"Mi", {2, 20}}, {"Gi", {2, 30}}, {"Ti", {2, 40}}, {"Pi", {2, 50}},
      {"Ei", {2, 60}}, {"n", {10, -9}}, {"u", {10, -6}}, {"m", {10, -3}}, {"k", {10, 3}},
      {"M", {10, 6}},  {"G", {10, 9}},  {"T", {10, 12}}, {"P", {10, 15}}, {"E", {10, 18}},
  };
  for (const auto& [name, scale] : kSuffixes) {
    if (s == name) return scale;
  }
  if (s[0] == 'e' || s[0] == 'E') {
    std::string_view digits = s.substr(1);
    bool negative = false;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int e = 0;
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      e = e * 10 + (c - '0');
    }
    return Scale{10, negative ? -e : e};
  }
  return std::nullopt;
}

}  // namespace

Quantity Quantity::FromMilli(std::int64_t milli) {
  Quantity q;
  q.milli_ = milli;
  q.text_ = milli % 1000 == 0 ? fmt::format("{}", milli / 1000) : fmt::format("{}m", milli);
  return q;
}

std::optional<Quantity> Quantity::Parse(std::string_view text, std::string* error) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::size_t i = 0;
  long double number = 0;
  bool seen_digit = false;
  bool seen_dot = false;
  long double fraction_scale = 1;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      seen_digit = true;
      if (seen_dot) {
        fraction_scale /= 10;
        number += (c - '0') * fraction_scale;
      } else {
        number = number * 10 + (c - '0');
      }
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!seen_digit) {
    *error = kFormatError;
    return std::nullopt;
  }
  const auto scale = ParseSuffix(s.substr(i));
  if (!scale) {
    *error = s.substr(i).find_first_not_of("eEinumkKMGTP+-0123456789") == std::string_view::npos
                 ? "unable to parse quantity's suffix"
                 : kFormatError;
    return std::nullopt;
  }
  long double milli =
      number * std::pow(static_cast<long double>(scale->base), scale->exponent) * 1000.0L;
  if (milli > 9.0e18L) {
    *error = fmt::format("quantity {} is too large for ptsim", text);
    return std::nullopt;
  }
  Quantity q;
  q.milli_ = static_cast<std::int64_t>(std::ceil(milli - 1e-9L));
  if (negative) q.milli_ = -q.milli_;
  q.text_ = std::string(text);
  return q;
}

std::string FormatQuantity(std::string_view resource, std::int64_t milli) {
  if (resource == "memory" || resource == "ephemeral-storage") {
    const std::int64_t bytes = milli / 1000;
    static constexpr std::pair<const char*, std::int64_t> kUnits[] = {
        {"Gi", std::int64_t{1} << 30},
        {"Mi", std::int64_t{1} << 20},
        {"Ki", std::int64_t{1} << 10}};
    for (const auto& [suffix, size] : kUnits) {
      if (bytes >= size && bytes % size == 0) return fmt::format("{}{}", bytes / size, suffix);
    }
    return fmt::format("{}", bytes);
  }
  return Quantity::FromMilli(milli).text();
}

}  // namespace ptsim
