// Kubernetes quantities as apimachinery parses and prints them, and the
// resource defaulting flytepropeller applies (container_helper.go).
#include "fakes/flyte/quantity.hpp"

#include <catch2/catch.hpp>

#include "fakes/flyte/k8s_resources.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

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

TEST_CASE("quantities compare by value across suffixes") {
  CHECK(Quantity::Parse("1Gi")->Cmp(Quantity::Parse("1024Mi").value()) == 0);
  CHECK(Quantity::Parse("1G")->Cmp(Quantity::Parse("1Gi").value()) < 0);
  CHECK(Quantity::Parse("1500m")->Cmp(Quantity::Parse("1").value()) > 0);
}

ResourceRequirements Requirements(const char* text) {
  auto r = ResourceRequirementsFromJson(json::parse(text), "r");
  REQUIRE(r.ok());
  return r.value();
}

ResourceDefaults Defaults() {
  return {Quantity::Parse("1000m").value(), Quantity::Parse("1024Mi").value(),
          std::string(kResourceNvidiaGpu)};
}

TEST_CASE("derived: ApplyResourceOverrides fills requests from limits and limits from requests") {
  auto out = ApplyResourceOverrides(
      Requirements(R"({"limits": {"cpu": "2"}, "requests": {"memory": "1Gi"}})"), {}, Defaults(),
      true);
  CHECK_JSON_EQ(out.ToJson(), json::parse(R"({"requests": {"cpu": "2", "memory": "1Gi"},
                                              "limits": {"cpu": "2", "memory": "1Gi"}})"));
}

TEST_CASE(
    "derived: ApplyResourceOverrides clamps to platform limits and the request to the limit") {
  auto platform = Requirements(R"({"limits": {"cpu": "4", "memory": "8Gi"}})");
  auto out = ApplyResourceOverrides(
      Requirements(R"({"requests": {"cpu": "8", "memory": "4Gi"}, "limits": {"memory": "2Gi"}})"),
      platform, Defaults(), true);
  CHECK_JSON_EQ(out.ToJson(), json::parse(R"({"requests": {"cpu": "4", "memory": "2Gi"},
                                              "limits": {"cpu": "4", "memory": "2Gi"}})"));
}

TEST_CASE("derived: without assignIfUnset cpu and memory are written as zero") {
  auto out = ApplyResourceOverrides({}, {}, Defaults(), false);
  CHECK_JSON_EQ(out.ToJson(), json::parse(R"({"requests": {"cpu": "0", "memory": "0"},
                                              "limits": {"cpu": "0", "memory": "0"}})"));
}

TEST_CASE("derived: GPU and ephemeral storage are adjusted only when present") {
  auto out = ApplyResourceOverrides(
      Requirements(R"({"limits": {"nvidia.com/gpu": "1", "ephemeral-storage": "10Gi"}})"), {},
      Defaults(), true);
  CHECK(out.requests.at("nvidia.com/gpu").String() == "1");
  CHECK(out.requests.at("ephemeral-storage").String() == "10Gi");
  auto plain = ApplyResourceOverrides({}, {}, Defaults(), true);
  CHECK(plain.requests.count("nvidia.com/gpu") == 0);
}

TEST_CASE("derived: Flyte resource names map to Kubernetes names and zero values are dropped") {
  idl::Resources r;
  r.requests = {{idl::ResourceName::kCpu, "1"},
                {idl::ResourceName::kMemory, "1Gi"},
                {idl::ResourceName::kGpu, "0"},
                {idl::ResourceName::kEphemeralStorage, "5Gi"},
                {idl::ResourceName::kStorage, "9Gi"}};
  auto k8s = ToK8sResourceRequirements(r);
  REQUIRE(k8s.ok());
  CHECK_JSON_EQ(k8s->ToJson(), json::parse(R"({"requests": {"cpu": "1", "memory": "1Gi",
                                                            "ephemeral-storage": "5Gi"}})"));
  r.requests = {{idl::ResourceName::kCpu, "lots"}};
  CHECK(OnlyError(ToK8sResourceRequirements(r)) ==
        "Failed to parse resource as a valid quantity.: " + std::string(Quantity::kErrFormatWrong));
}

TEST_CASE("derived: a gpu key in a pod template becomes nvidia.com/gpu") {
  auto r = Requirements(R"({"limits": {"gpu": "2"}})");
  SanitizeGpuResourceRequirements("nvidia.com/gpu", &r);
  CHECK_JSON_EQ(r.ToJson(), json::parse(R"({"limits": {"nvidia.com/gpu": "2"}})"));
}

}  // namespace
}  // namespace ptsim::flyte
