#include "sim/model/quantity.hpp"

#include <fmt/format.h>

#include <array>
#include <limits>
#include <optional>

namespace ptsim {
namespace {

__extension__ using Int128 = __int128;

constexpr Int128 kNano = 1'000'000'000;
// Upper bound on |nanos| we accept, leaving headroom for * 10^2 in String().
const Int128 kMaxNanos = static_cast<Int128>(1'000'000'000'000'000'000LL) *
                         static_cast<Int128>(1'000'000'000'000'000'000LL) / 10;  // 1e35

Result<Quantity> Fail(std::string_view message) {
  Diagnostics d;
  d.Error({}, "", "", std::string(message));
  return d;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// The pieces parseQuantityString (quantity.go) splits a quantity into.
struct Pieces {
  bool positive = true;
  std::string num;     // integer digits, leading zeros stripped
  std::string denom;   // fraction digits
  std::string suffix;  // everything after the number
};

// Scanner with the same acceptance as parseQuantityString: sign, digits,
// optional '.' digits, then suffix letters, optional sign, digits.
std::optional<Pieces> Split(std::string_view s) {
  Pieces p;
  size_t pos = 0;
  if (pos < s.size() && (s[0] == '-' || s[0] == '+')) {
    p.positive = s[0] == '+';
    ++pos;
  }
  while (pos < s.size() && s[pos] == '0')
    ++pos;
  size_t start = pos;
  while (pos < s.size() && IsDigit(s[pos]))
    ++pos;
  p.num = std::string(s.substr(start, pos - start));
  if (p.num.empty()) p.num = "0";
  if (pos < s.size() && s[pos] == '.') {
    start = ++pos;
    while (pos < s.size() && IsDigit(s[pos]))
      ++pos;
    p.denom = std::string(s.substr(start, pos - start));
  }
  size_t suffix_start = pos;
  while (pos < s.size() && std::string_view("eEinumkKMGTP").find(s[pos]) != std::string::npos) {
    ++pos;
  }
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) ++pos;
  while (pos < s.size() && IsDigit(s[pos]))
    ++pos;
  if (pos != s.size()) return std::nullopt;
  p.suffix = std::string(s.substr(suffix_start));
  return p;
}

struct SuffixMeaning {
  int base;      // 10 or 2
  int exponent;  // power of the base
  Quantity::Format format;
};

// quantitySuffixer.interpret (suffix.go).
std::optional<SuffixMeaning> Interpret(const std::string& suffix) {
  static constexpr std::array<std::pair<std::string_view, int>, 10> kDecimal = {{
      {"n", -9},
      {"u", -6},
      {"m", -3},
      {"", 0},
      {"k", 3},
      {"M", 6},
      {"G", 9},
      {"T", 12},
      {"P", 15},
      {"E", 18},
  }};
  static constexpr std::array<std::pair<std::string_view, int>, 6> kBinary = {{
      {"Ki", 10},
      {"Mi", 20},
      {"Gi", 30},
      {"Ti", 40},
      {"Pi", 50},
      {"Ei", 60},
  }};
  for (const auto& [s, e] : kDecimal) {
    if (suffix == s) return SuffixMeaning{10, e, Quantity::Format::kDecimalSI};
  }
  for (const auto& [s, e] : kBinary) {
    if (suffix == s) return SuffixMeaning{2, e, Quantity::Format::kBinarySI};
  }
  if (suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    std::string_view digits(suffix);
    digits.remove_prefix(1);
    bool negative = false;
    if (digits[0] == '+' || digits[0] == '-') {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    if (digits.empty() || digits.size() > 4) return std::nullopt;
    int value = 0;
    for (char c : digits) {
      if (!IsDigit(c)) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return SuffixMeaning{10, negative ? -value : value, Quantity::Format::kDecimalExponent};
  }
  return std::nullopt;
}

bool MulChecked(Int128& v, Int128 factor) {
  if (v != 0 && factor > kMaxNanos / v) return false;
  v *= factor;
  return true;
}

// REQUIRES: 0 <= n <= kMaxPow10.
constexpr int kMaxPow10 = 38;
Int128 Pow10(int n) {
  Int128 r = 1;
  for (int i = 0; i < n; ++i)
    r *= 10;
  return r;
}

// Divides rounding away from zero (inf.RoundUp on the magnitude).
Int128 DivRoundUp(Int128 v, Int128 d) {
  return (v + d - 1) / d;
}

// Clamps to the int64 range, as ptsim's int64 arithmetic needs.
std::int64_t Saturate(Int128 v) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  if (v > kMax) return kMax;
  if (v < kMin) return kMin;
  return static_cast<std::int64_t>(v);
}

std::string ToString(Int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  if (negative) v = -v;
  std::string out;
  while (v > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return negative ? "-" + out : out;
}

}  // namespace

Result<Quantity> Quantity::Parse(std::string_view text) {
  if (text.empty()) return Fail(kErrFormatWrong);
  if (text == "0") return Quantity();
  auto pieces = Split(text);
  if (!pieces) return Fail(kErrFormatWrong);
  auto meaning = Interpret(pieces->suffix);
  if (!meaning) return Fail(kErrSuffix);

  std::string digits = pieces->num + pieces->denom;
  size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  if (digits.size() > 34) return Fail(kErrNumeric);
  Int128 magnitude = 0;
  for (char c : digits)
    magnitude = magnitude * 10 + (c - '0');

  int denom_len = static_cast<int>(pieces->denom.size());
  if (meaning->base == 10) {
    // value = digits * 10^(exponent - len(denom)); nanos add 9 to the power.
    int power = meaning->exponent - denom_len + 9;
    // 10^38 is the largest power of ten an Int128 holds; the digits are
    // below 10^34, so dividing by more than 10^38 leaves at most 1 (rounded up).
    if (power >= 0) {
      if (magnitude != 0 && (power > kMaxPow10 || !MulChecked(magnitude, Pow10(power)))) {
        return Fail(kErrNumeric);
      }
    } else {
      magnitude =
          power < -kMaxPow10 ? (magnitude > 0 ? 1 : 0) : DivRoundUp(magnitude, Pow10(-power));
    }
  } else {
    if (!MulChecked(magnitude, static_cast<Int128>(1) << meaning->exponent) ||
        !MulChecked(magnitude, kNano) || denom_len > 34) {
      return Fail(kErrNumeric);
    }
    magnitude = DivRoundUp(magnitude, Pow10(denom_len));
  }
  Format format = meaning->format;
  // BinarySI values strictly between 0 and 1 are shown as DecimalSI.
  if (format == Format::kBinarySI && magnitude > 0 && magnitude < kNano) {
    format = Format::kDecimalSI;
  }
  return Quantity(pieces->positive ? magnitude : -magnitude, format, std::string(text));
}

Quantity Quantity::FromMilli(std::int64_t milli) {
  const Int128 nanos = static_cast<Int128>(milli) * 1'000'000;
  Quantity q(nanos, Format::kDecimalSI, "");
  q.text_ = q.String();
  return q;
}

Quantity Quantity::FromUnits(std::int64_t units) {
  const Int128 nanos = static_cast<Int128>(units) * kNano;
  Quantity q(nanos, Format::kDecimalSI, "");
  q.text_ = q.String();
  return q;
}

std::int64_t Quantity::milli() const {
  return Saturate(nanos_ >= 0 ? DivRoundUp(nanos_, 1'000'000) : -DivRoundUp(-nanos_, 1'000'000));
}

std::int64_t Quantity::units() const {
  return Saturate(nanos_ >= 0 ? DivRoundUp(nanos_, kNano) : -DivRoundUp(-nanos_, kNano));
}

int Quantity::Cmp(const Quantity& other) const {
  if (nanos_ < other.nanos_) return -1;
  return nanos_ > other.nanos_ ? 1 : 0;
}

std::string Quantity::String() const {
  if (nanos_ == 0) return "0";
  Format format = format_;
  if (format == Format::kBinarySI) {
    Int128 limit = 1024 * kNano;
    // Small values and values with a fraction are shown as DecimalSI.
    if ((nanos_ > -limit && nanos_ < limit) || nanos_ % kNano != 0) format = Format::kDecimalSI;
  }
  if (format == Format::kBinarySI) {
    static constexpr std::array<std::string_view, 7> kBinary = {"",   "Ki", "Mi", "Gi",
                                                                "Ti", "Pi", "Ei"};
    Int128 mantissa = nanos_ / kNano;
    size_t power = 0;
    while (power + 1 < kBinary.size() && mantissa % 1024 == 0) {
      mantissa /= 1024;
      ++power;
    }
    return ToString(mantissa) + std::string(kBinary[power]);
  }
  // AsCanonicalBytes: strip trailing zeros, then lower the exponent to a
  // multiple of three.
  Int128 mantissa = nanos_;
  int exponent = -9;
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  int rest = ((exponent % 3) + 3) % 3;
  mantissa *= Pow10(rest);
  exponent -= rest;
  if (format == Format::kDecimalExponent) {
    return ToString(mantissa) + (exponent == 0 ? "" : "e" + std::to_string(exponent));
  }
  static constexpr std::array<std::string_view, 10> kDecimal = {"n", "u", "m", "",  "k",
                                                                "M", "G", "T", "P", "E"};
  int index = (exponent + 9) / 3;
  // Upstream prints no suffix at all past "E" (its lookup fails); so do we.
  std::string suffix =
      index >= 0 && index < static_cast<int>(kDecimal.size()) ? std::string(kDecimal[index]) : "";
  return ToString(mantissa) + suffix;
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
