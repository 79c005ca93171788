// The resource conversion and defaulting flytepropeller applies
// (flytek8s utils.go, container_helper.go).
#include "fakes/flyte/k8s_resources.hpp"

#include <catch2/catch.hpp>

#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

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
  CHECK_JSON_EQ(ResourceRequirementsToJson(out),
                json::parse(R"({"requests": {"cpu": "2", "memory": "1Gi"},
                                              "limits": {"cpu": "2", "memory": "1Gi"}})"));
}

TEST_CASE(
    "derived: ApplyResourceOverrides clamps to platform limits and the request to the limit") {
  auto platform = Requirements(R"({"limits": {"cpu": "4", "memory": "8Gi"}})");
  auto out = ApplyResourceOverrides(
      Requirements(R"({"requests": {"cpu": "8", "memory": "4Gi"}, "limits": {"memory": "2Gi"}})"),
      platform, Defaults(), true);
  CHECK_JSON_EQ(ResourceRequirementsToJson(out),
                json::parse(R"({"requests": {"cpu": "4", "memory": "2Gi"},
                                              "limits": {"cpu": "4", "memory": "2Gi"}})"));
}

TEST_CASE("derived: without assignIfUnset cpu and memory are written as zero") {
  auto out = ApplyResourceOverrides({}, {}, Defaults(), false);
  CHECK_JSON_EQ(ResourceRequirementsToJson(out),
                json::parse(R"({"requests": {"cpu": "0", "memory": "0"},
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
  CHECK_JSON_EQ(ResourceRequirementsToJson(k8s.value()),
                json::parse(R"({"requests": {"cpu": "1", "memory": "1Gi",
                                                            "ephemeral-storage": "5Gi"}})"));
  r.requests = {{idl::ResourceName::kCpu, "lots"}};
  CHECK(OnlyError(ToK8sResourceRequirements(r)) ==
        "Failed to parse resource as a valid quantity.: " + std::string(Quantity::kErrFormatWrong));
}

TEST_CASE("derived: a gpu key in a pod template becomes nvidia.com/gpu") {
  auto r = Requirements(R"({"limits": {"gpu": "2"}})");
  SanitizeGpuResourceRequirements("nvidia.com/gpu", &r);
  CHECK_JSON_EQ(ResourceRequirementsToJson(r),
                json::parse(R"({"limits": {"nvidia.com/gpu": "2"}})"));
}

}  // namespace
}  // namespace ptsim::flyte
