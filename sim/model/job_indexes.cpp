#include "sim/model/job_indexes.hpp"

#include <fmt/format.h>

#include <charconv>

namespace ptsim {
namespace {

bool ParseIndex(const std::string& s, std::int32_t* out) {
  if (s.empty()) return false;
  const auto* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

OrderedIntervals ParseIndexes(const std::string& text, std::int32_t completions,
                              std::string* error) {
  OrderedIntervals out;
  if (text.empty()) return out;
  std::int64_t previous = -1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string part = text.substr(start, comma - start);
    start = comma + 1;
    IndexInterval interval;
    const std::size_t dash = part.find('-');
    const std::string first = part.substr(0, dash);
    if (!ParseIndex(first, &interval.first)) {
      *error = fmt::format("cannot convert string to integer for index: \"{}\"", first);
      return {};
    }
    interval.last = interval.first;
    if (dash != std::string::npos) {
      const std::string last = part.substr(dash + 1);
      if (last.find('-') != std::string::npos) {
        *error = fmt::format(
            "the fragment \"{}\" violates the requirement that an index "
            "interval can have at most two parts separated by '-'",
            part);
        return {};
      }
      if (!ParseIndex(last, &interval.last)) {
        *error = fmt::format("cannot convert string to integer for index: \"{}\"", last);
        return {};
      }
    }
    if (interval.first < 0 || interval.last >= completions) {
      *error = fmt::format("too large index: {}", std::max(interval.first, interval.last));
      if (interval.first < 0) *error = fmt::format("negative index: {}", interval.first);
      return {};
    }
    if (interval.first > interval.last) {
      *error = fmt::format("non-increasing order, previous: {}, current: {}", interval.first,
                           interval.last);
      return {};
    }
    if (interval.first <= previous) {
      *error = fmt::format(
          "overlapping indexes interval: the fragment \"{}\" overlaps with or "
          "precedes the previous one",
          part);
      return {};
    }
    previous = interval.last;
    out.push_back(interval);
    if (comma == text.size()) break;
  }
  return out;
}

std::int32_t CountIndexes(const OrderedIntervals& intervals) {
  std::int32_t total = 0;
  for (const auto& i : intervals)
    total += i.last - i.first + 1;
  return total;
}

bool HasIndex(const OrderedIntervals& intervals, std::int32_t index) {
  for (const auto& i : intervals) {
    if (index >= i.first && index <= i.last) return true;
  }
  return false;
}

std::string FormatIndexes(const std::set<std::int32_t>& indexes) {
  std::string out;
  auto it = indexes.begin();
  while (it != indexes.end()) {
    const std::int32_t first = *it;
    std::int32_t last = first;
    ++it;
    while (it != indexes.end() && *it == last + 1) {
      last = *it;
      ++it;
    }
    if (!out.empty()) out += ',';
    out += first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last);
  }
  return out;
}

std::set<std::int32_t> IndexSet(const OrderedIntervals& intervals) {
  std::set<std::int32_t> out;
  for (const auto& i : intervals) {
    for (std::int32_t k = i.first; k <= i.last; ++k)
      out.insert(k);
  }
  return out;
}

}  // namespace ptsim
