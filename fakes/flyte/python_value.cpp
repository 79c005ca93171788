#include "fakes/flyte/python_value.hpp"

#include "sim/model/python_literal.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace ptsim::flyte {

PyScalar PyScalar::Float(double v) {
  return {Type::kFloat, PyFloatRepr(v)};
}

std::string PyScalar::Repr() const {
  return type == Type::kStr ? PyStrRepr(text) : text;
}

bool PyScalar::Truthy() const {
  switch (type) {
    case Type::kNone:
      return false;
    case Type::kStr:
      return !text.empty();
    case Type::kInt:
      return text != "0";
    case Type::kFloat:
      return text != "0.0" && text != "-0.0";
    case Type::kBool:
      return text == "True";
  }
  return true;
}

std::optional<PyIntParse> PyInt(std::string_view text) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() == '_' || text.back() == '_') return std::nullopt;
  PyIntParse out;
  uint64_t magnitude = 0;
  char previous = '0';
  for (char c : text) {
    if (c == '_') {
      if (previous == '_') return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      auto digit = static_cast<uint64_t>(c - '0');
      if (magnitude > (UINT64_MAX - digit) / 10) {
        out.overflow = true;
      } else {
        magnitude = magnitude * 10 + digit;
      }
    } else {
      return std::nullopt;
    }
    previous = c;
  }
  uint64_t limit =
      negative ? static_cast<uint64_t>(INT64_MAX) + 1 : static_cast<uint64_t>(INT64_MAX);
  if (magnitude > limit) out.overflow = true;
  if (!out.overflow) {
    out.value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  }
  return out;
}

std::string PyIntError(std::string_view text) {
  return "invalid literal for int() with base 10: " + PyStrRepr(text);
}

}  // namespace ptsim::flyte
