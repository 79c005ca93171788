// Quantity: a Kubernetes resource quantity ("500m", "2Gi", "1.5", "12e6"), as
// k8s.io/apimachinery/pkg/api/resource/quantity.go parses, compares and prints
// it. The one model of quantities in ptsim: pods, nodes, the scheduler, the
// kubelet and Flyte's resource handling all use it.
//
// A Quantity holds its value exactly in nano-units (values below 1n round up,
// away from zero, as upstream does), the format its suffix implies (which
// decides the canonical suffix family), and the text it was written as (for
// reports and messages). Magnitudes above about 1e26 units are rejected with
// apimachinery's numeric-part error instead of going to arbitrary precision.
// Plain value type; any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sim/core/diagnostics.hpp"

namespace ptsim {

class Quantity {
 public:
  // How the quantity was written (quantity.go Format).
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  // apimachinery's error texts (ErrFormatWrong, ErrNumeric, ErrSuffix).
  static constexpr std::string_view kErrFormatWrong =
      "quantities must match the regular expression "
      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  static constexpr std::string_view kErrNumeric = "unable to parse numeric part of quantity";
  static constexpr std::string_view kErrSuffix = "unable to parse quantity's suffix";

  Quantity() = default;  // zero, DecimalSI, text "0"
  // resource.NewMilliQuantity / NewQuantity with DecimalSI; text() is canonical.
  static Quantity FromMilli(std::int64_t milli);
  static Quantity FromUnits(std::int64_t units);

  // resource.ParseQuantity. On failure the single Diagnostic's message is one
  // of the three error texts above (no file or field: the caller locates it).
  static Result<Quantity> Parse(std::string_view text);

  // Quantity.MilliValue(): milli-units rounded up, saturating at the int64
  // range (a quantity past 9.2e15 units reads as the largest int64).
  std::int64_t milli() const;
  // Quantity.Value(): whole units rounded up, saturating likewise.
  std::int64_t units() const;
  bool IsZero() const { return nanos_ == 0; }
  // -1, 0 or 1 like Quantity.Cmp.
  int Cmp(const Quantity& other) const;
  friend bool operator==(const Quantity& a, const Quantity& b) { return a.Cmp(b) == 0; }
  Format format() const { return format_; }

  // The canonical form (Quantity.String / MarshalJSON): "1000m" -> "1",
  // "1024Mi" -> "1Gi".
  std::string String() const;
  // The text as written in the input; the canonical form for FromMilli/FromUnits.
  const std::string& text() const { return text_; }

 private:
  __extension__ using Int128 = __int128;
  Quantity(Int128 nanos, Format format, std::string text)
      : nanos_(nanos), format_(format), text_(std::move(text)) {}

  Int128 nanos_ = 0;  // value * 1e9
  Format format_ = Format::kDecimalSI;
  std::string text_ = "0";
};

// A map from resource name ("cpu", "memory", "nvidia.com/gpu", "pods") to
// quantity, as in core/v1 ResourceList.
using ResourceList = std::map<std::string, Quantity>;

// "1.5Gi"-style rendering of a byte count and "250m"-style rendering of cpu,
// for human-facing messages.
std::string FormatQuantity(std::string_view resource, std::int64_t milli);

}  // namespace ptsim
