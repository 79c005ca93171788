// The few Python built-ins whose exact behaviour torchrun's parsing and
// messages inherit: int() and float() on strings (whitespace, signs,
// underscores between digits, "inf"/"nan"), repr() of a str and of a float,
// str() of a datetime.timedelta, and RendezvousParameters.get_as_bool's
// spellings. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/model/python_literal.hpp"

namespace ptsim::elastic {

// int(text) with base 10; nullopt where Python raises ValueError (and, unlike
// Python, for values outside int64).
std::optional<std::int64_t> PyInt(std::string_view text);
// float(text); nullopt where Python raises ValueError.
std::optional<double> PyFloat(std::string_view text);
// repr() of str and float: sim/model/python_literal.hpp.
using ::ptsim::PyFloatRepr;
using ::ptsim::PyStrRepr;
// str(timedelta(seconds=seconds)): "0:00:30", "-1 day, 23:59:55", "1 day, 1:00:00".
std::string PyTimedelta(std::int64_t seconds);
// RendezvousParameters.get_as_bool: 1/true/t/yes/y and 0/false/f/no/n, any case.
std::optional<bool> PyRendezvousBool(std::string_view text);
// str.strip() for ASCII whitespace.
std::string_view PyStrip(std::string_view text);

}  // namespace ptsim::elastic
