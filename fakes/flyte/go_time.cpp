#include "fakes/flyte/go_time.hpp"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace ptsim::flyte {
namespace {

struct Civil {
  int64_t year;
  int month;
  int day;
};

// Days since 1970-01-01 to a civil date (Gregorian, era-based arithmetic).
Civil CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Split {
  Civil date;
  int hour, minute, second;
  int64_t nanos;
};

Split SplitSeconds(double seconds) {
  auto whole = static_cast<int64_t>(std::floor(seconds));
  auto nanos = static_cast<int64_t>(std::llround((seconds - static_cast<double>(whole)) * 1e9));
  if (nanos >= 1'000'000'000) {
    ++whole;
    nanos -= 1'000'000'000;
  }
  int64_t days = whole >= 0 ? whole / 86400 : (whole - 86399) / 86400;
  int64_t rest = whole - days * 86400;
  return {CivilFromDays(days), static_cast<int>(rest / 3600), static_cast<int>(rest % 3600 / 60),
          static_cast<int>(rest % 60), nanos};
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatRfc3339(double seconds) {
  Split t = SplitSeconds(seconds);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", t.date.year, t.date.month,
                     t.date.day, t.hour, t.minute, t.second);
}

std::string FormatGoTime(double seconds) {
  Split t = SplitSeconds(seconds);
  std::string fraction;
  if (t.nanos != 0) {
    fraction = fmt::format(".{:09d}", t.nanos);
    while (fraction.back() == '0')
      fraction.pop_back();
  }
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}{} +0000 UTC", t.date.year,
                     t.date.month, t.date.day, t.hour, t.minute, t.second, fraction);
}

std::optional<double> ParseRfc3339(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day) || (s[10] != 'T' && s[10] != 't') ||
      !Digits(s, 11, 2, &hour) || s[13] != ':' || !Digits(s, 14, 2, &minute) || s[16] != ':' ||
      !Digits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  double fraction = 0;
  if (s[pos] == '.') {
    double scale = 0.1;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, scale /= 10) {
      fraction += (s[pos] - '0') * scale;
    }
  }
  int offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
    offset = 0;
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || !Digits(s, pos + 4, 2, &om)) return std::nullopt;
    offset = (s[pos] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  int64_t days = DaysFromCivil(year, month, day);
  return static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction;
}

}  // namespace ptsim::flyte
