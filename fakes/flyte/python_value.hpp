// Python value semantics that flytekit's messages and decisions depend on:
// a scalar's str() and repr(), the float repr, and int() of a string in base
// 10. flytekit builds messages with f-strings ("{value} can not be a list or
// tuple") and parses nnodes with int(), so reproducing those texts exactly
// needs these rules (CPython Objects/unicodeobject.c repr, floatobject.c
// repr, longobject.c PyLong_FromString). Plain functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sim/model/python_literal.hpp"

namespace ptsim::flyte {

// A scalar as the Python caller would have passed it.
struct PyScalar {
  enum class Type { kNone, kStr, kInt, kFloat, kBool };
  Type type = Type::kStr;
  std::string text{};  // str(value): "2Gi", "1", "0.5", "True", "None"

  static PyScalar Str(std::string s) { return {Type::kStr, std::move(s)}; }
  static PyScalar Int(int64_t v) { return {Type::kInt, std::to_string(v)}; }
  static PyScalar Float(double v);
  static PyScalar Bool(bool v) { return {Type::kBool, v ? "True" : "False"}; }
  static PyScalar None() { return {Type::kNone, "None"}; }

  // repr(value): strings quoted, everything else as str().
  std::string Repr() const;
  // bool(value): False for None, "", 0, 0.0 and False.
  bool Truthy() const;
};

// repr() of str and float: sim/model/python_literal.hpp.
using ::ptsim::PyFloatRepr;
using ::ptsim::PyStrRepr;

// int(text) in base 10: surrounding whitespace, one sign, digits with single
// underscores between them. nullopt when Python would raise ValueError;
// `overflow` is set when the value does not fit int64.
struct PyIntParse {
  int64_t value = 0;
  bool overflow = false;
};
std::optional<PyIntParse> PyInt(std::string_view text);

// The message of the ValueError int() raises:
// "invalid literal for int() with base 10: '<text>'".
std::string PyIntError(std::string_view text);

}  // namespace ptsim::flyte
