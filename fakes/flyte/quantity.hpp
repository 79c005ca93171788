// Quantity: the Kubernetes resource quantity ("250m", "1Gi", "12e6") as far as
// Flyte's resource handling needs it: parsing with apimachinery's rules and
// error messages, comparison, and the canonical string the API machinery prints
// when it serializes a parsed quantity ("1000m" -> "1", "1024Mi" -> "1Gi").
//
// Mirrors k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity,
// CanonicalizeBytes). Values are held exactly in nano units (values below 1n
// round up, away from zero, as upstream does); magnitudes above ~1e29 are
// rejected with the numeric-part error instead of going to arbitrary precision.
// Plain value type; any thread.
#pragma once

#include <string>
#include <string_view>

#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

class Quantity {
 public:
  // How the quantity was written; decides the canonical suffix family.
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  // apimachinery's error texts (ErrFormatWrong, ErrNumeric, ErrSuffix).
  static constexpr std::string_view kErrFormatWrong =
      "quantities must match the regular expression "
      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  static constexpr std::string_view kErrNumeric = "unable to parse numeric part of quantity";
  static constexpr std::string_view kErrSuffix = "unable to parse quantity's suffix";

  Quantity() = default;  // zero, DecimalSI

  // Parses `text` like resource.ParseQuantity. On failure the single
  // Diagnostic's message is one of the three error texts above.
  static Result<Quantity> Parse(std::string_view text);

  bool IsZero() const { return nanos_ == 0; }
  // -1, 0 or 1 like Quantity.Cmp.
  int Cmp(const Quantity& other) const;
  bool operator==(const Quantity& other) const { return Cmp(other) == 0; }
  Format format() const { return format_; }

  // The canonical form (Quantity.String / MarshalJSON).
  std::string String() const;

 private:
  __extension__ using Int128 = __int128;
  Quantity(Int128 nanos, Format format) : nanos_(nanos), format_(format) {}

  Int128 nanos_ = 0;  // value * 1e9
  Format format_ = Format::kDecimalSI;
};

}  // namespace ptsim::flyte
