// Kubernetes resource quantities ("500m", "2Gi", "1.5", "1e3"), as in
// k8s.io/apimachinery/pkg/api/resource/quantity.go.
//
// A Quantity keeps the text it was written as (for reports) and its value in
// milli-units, rounded up like Quantity.MilliValue(). Values up to about 9e15
// units are representable; larger ones are rejected at parse time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ptsim {

class Quantity {
 public:
  Quantity() = default;
  static Quantity FromMilli(std::int64_t milli);
  static Quantity FromUnits(std::int64_t units) { return FromMilli(units * 1000); }

  // Returns nullopt and sets `error` (apimachinery's wording) on bad input.
  static std::optional<Quantity> Parse(std::string_view text, std::string* error);

  std::int64_t milli() const { return milli_; }
  // The value in whole units, rounded up (Quantity.Value()).
  std::int64_t units() const { return milli_ / 1000 + (milli_ % 1000 > 0 ? 1 : 0); }
  const std::string& text() const { return text_; }
  bool is_zero() const { return milli_ == 0; }

  friend bool operator==(const Quantity& a, const Quantity& b) { return a.milli_ == b.milli_; }

 private:
  std::int64_t milli_ = 0;
  std::string text_ = "0";
};

// A map from resource name ("cpu", "memory", "nvidia.com/gpu", "pods") to
// quantity, as in core/v1 ResourceList.
using ResourceList = std::map<std::string, Quantity>;

// "1.5Gi"-style rendering of a byte count and "250m"-style rendering of cpu,
// for human-facing messages.
std::string FormatQuantity(std::string_view resource, std::int64_t milli);

}  // namespace ptsim
