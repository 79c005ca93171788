// repr() of Python's str and float, which the messages of torch and flytekit
// embed (CPython Objects/unicodeobject.c unicode_repr, Objects/floatobject.c
// float_repr). Both the elastic agent and the Flyte plugin reproduce those
// messages byte for byte. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

namespace ptsim {

// repr() of a str: single quotes unless the text has a single quote and no
// double quote; backslash, the chosen quote and control characters escaped.
std::string PyStrRepr(std::string_view s);

// repr() of a float: shortest round-trip digits, ".0" on integral values,
// exponent form below 1e-4 and from 1e16 ("1e+16", "1.5e-05"), "inf", "nan".
std::string PyFloatRepr(double v);

}  // namespace ptsim
