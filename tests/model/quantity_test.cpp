// Kubernetes quantities as apimachinery parses, compares and prints them
// (k8s.io/apimachinery/pkg/api/resource/quantity.go), and the values ptsim's
// scheduler and kubelet read from them (MilliValue, Value).
#include "sim/model/quantity.hpp"

#include <catch2/catch.hpp>

#include <limits>

namespace ptsim {
namespace {

std::string OnlyError(const Result<Quantity>& result) {
  for (const auto& d : result.diagnostics().items()) {
    if (d.severity == Diagnostic::Severity::kError) return d.message;
  }
  return "<no error>";
}

std::string Canonical(const char* text) {
  auto q = Quantity::Parse(text);
  INFO(text);
  REQUIRE(q.ok());
  return q->String();
}

TEST_CASE("quantities print in the canonical form apimachinery serializes") {
  CHECK(Canonical("1000m") == "1");
  CHECK(Canonical("1024Mi") == "1Gi");
  CHECK(Canonical("250m") == "250m");
  CHECK(Canonical("2048m") == "2048m");
  CHECK(Canonical("0.5") == "500m");
  CHECK(Canonical("1.5Gi") == "1536Mi");
  CHECK(Canonical("1000") == "1k");
  CHECK(Canonical("12e6") == "12e6");
  CHECK(Canonical("1.5e3") == "1500");
  CHECK(Canonical("100Mi") == "100Mi");
  CHECK(Canonical("512") == "512");
  CHECK(Canonical("0.5Ki") == "512");
  CHECK(Canonical("1n") == "1n");
  CHECK(Canonical("0.0000000001") == "1n");  // rounds up to the nano scale
  CHECK(Canonical("-2") == "-2");
  CHECK(Canonical("0") == "0");
  CHECK(Canonical("007") == "7");
}

TEST_CASE("quantity parse errors carry apimachinery's messages") {
  CHECK(OnlyError(Quantity::Parse("")) ==
        "quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  CHECK(OnlyError(Quantity::Parse("abc")) == std::string(Quantity::kErrFormatWrong));
  CHECK(OnlyError(Quantity::Parse("1.2.3")) == std::string(Quantity::kErrFormatWrong));
  CHECK(OnlyError(Quantity::Parse("1Qi")) == std::string(Quantity::kErrFormatWrong));
  CHECK(OnlyError(Quantity::Parse("1ki")) == std::string(Quantity::kErrSuffix));
  CHECK(OnlyError(Quantity::Parse("5e")) == std::string(Quantity::kErrSuffix));
}

// Found by the quantity fuzz harness: exponents whose power of ten does not
// fit in 128 bits (10^39, 10^40) overflowed before the range check.
TEST_CASE("exponents beyond the representable range are errors, zero stays zero") {
  CHECK(OnlyError(Quantity::Parse("1E31")) == std::string(Quantity::kErrNumeric));
  CHECK(OnlyError(Quantity::Parse("-1E31")) == std::string(Quantity::kErrNumeric));
  CHECK(OnlyError(Quantity::Parse("1e30")) == std::string(Quantity::kErrNumeric));
  CHECK(Quantity::Parse("0e31").value().milli() == 0);
  CHECK(Quantity::Parse("0e0030").value().milli() == 0);
  // 10^-39 and 10^-40 of a unit round up to one nano, as inf.RoundUp does.
  CHECK(Quantity::Parse("1e-48").value().Cmp(Quantity::Parse("1n").value()) == 0);
  CHECK(Quantity::Parse("1e-49").value().Cmp(Quantity::Parse("1n").value()) == 0);
  CHECK(Quantity::Parse("." + std::string(40, '0') + "1")
            .value()
            .Cmp(Quantity::Parse("1n").value()) == 0);
}

TEST_CASE("quantities compare by value across suffixes") {
  CHECK(Quantity::Parse("1Gi")->Cmp(Quantity::Parse("1024Mi").value()) == 0);
  CHECK(Quantity::Parse("1G")->Cmp(Quantity::Parse("1Gi").value()) < 0);
  CHECK(Quantity::Parse("1500m")->Cmp(Quantity::Parse("1").value()) > 0);
}

TEST_CASE("a quantity keeps the text it was written as") {
  CHECK(Quantity::Parse("1024Mi")->text() == "1024Mi");
  CHECK(Quantity::Parse("1024Mi")->String() == "1Gi");
  CHECK(Quantity::FromMilli(1500).text() == "1500m");
  CHECK(Quantity::FromUnits(32).text() == "32");
  CHECK(Quantity().text() == "0");
}

TEST_CASE("milli and unit values round up as MilliValue and Value do") {
  CHECK(Quantity::Parse("250m")->milli() == 250);
  CHECK(Quantity::Parse("250m")->units() == 1);
  CHECK(Quantity::Parse("1n")->milli() == 1);
  CHECK(Quantity::Parse("2Gi")->units() == 2LL << 30);
  CHECK(Quantity::Parse("2Gi")->milli() == (2LL << 30) * 1000);
  CHECK(Quantity::Parse("1.5")->milli() == 1500);
  CHECK(Quantity::Parse("-1.5")->milli() == -1500);
  CHECK(Quantity::Parse("1e3")->units() == 1000);
  CHECK(Quantity::FromMilli(2500).units() == 3);
}

TEST_CASE("values past the int64 range saturate instead of wrapping") {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  CHECK(Quantity::Parse("100E")->milli() == kMax);
  CHECK(Quantity::Parse("100E")->units() == kMax);
  CHECK(Quantity::Parse("1e25")->units() == kMax);
  CHECK(Quantity::Parse("-1e25")->milli() == std::numeric_limits<std::int64_t>::min());
}

TEST_CASE("FormatQuantity renders bytes with binary suffixes and cpu in milli") {
  CHECK(FormatQuantity("memory", (3LL << 30) * 1000) == "3Gi");
  CHECK(FormatQuantity("memory", 1536LL * 1024 * 1000) == "1536Ki");
  CHECK(FormatQuantity("cpu", 250) == "250m");
  CHECK(FormatQuantity("cpu", 2000) == "2");
}

}  // namespace
}  // namespace ptsim
