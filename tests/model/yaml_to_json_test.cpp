// YAML -> JSON as kubectl converts manifests (sigs.k8s.io/yaml v1.4.0 YAMLToJSON,
// goyaml.v2 resolve.go).
#include <catch2/catch.hpp>

#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

nlohmann::json Convert(const std::string& yaml) {
  std::string error;
  auto j = YamlToJson(YAML::Load(yaml), &error);
  INFO(error);
  REQUIRE(j.has_value());
  return *j;
}

TEST_CASE("quoted scalars are strings and plain scalars are typed") {
  const auto j = Convert(
      "a: \"2\"\nb: 2\nc: 2.5\nd: true\ne: null\nf: ~\ng:\nh: auto\ni: '1'\nj: |\n  text\n");
  CHECK(j["a"] == "2");
  CHECK(j["b"] == 2);
  CHECK(j["b"].is_number_integer());
  CHECK(j["c"] == 2.5);
  CHECK(j["d"] == true);
  CHECK(j["e"].is_null());
  CHECK(j["f"].is_null());
  CHECK(j["g"].is_null());
  CHECK(j["h"] == "auto");
  CHECK(j["i"] == "1");
  CHECK(j["j"] == "text\n");
}

TEST_CASE("YAML 1.1 booleans resolve as Kubernetes resolves them") {
  const auto j = Convert("a: yes\nb: On\nc: n\nd: OFF\ne: TRUE\nf: tRUE\ng: yEs\n");
  CHECK(j["a"] == true);
  CHECK(j["b"] == true);
  CHECK(j["c"] == false);
  CHECK(j["d"] == false);
  CHECK(j["e"] == true);
  CHECK(j["f"] == "tRUE");
  CHECK(j["g"] == "yEs");
}

TEST_CASE("integers follow Go's ParseInt with base prefixes and underscores") {
  const auto j = Convert(
      "hex: 0x1F\noct: 0o17\nlegacy_oct: 017\nbin: 0b101\nunder: 1_000\nplus: +5\nneg: -7\n"
      "not_octal: 08\nbig: 18446744073709551615\nexp: 1e3\ndot: .5\ndots: 1.2.3\n");
  CHECK(j["hex"] == 31);
  CHECK(j["oct"] == 15);
  CHECK(j["legacy_oct"] == 15);
  CHECK(j["bin"] == 5);
  CHECK(j["under"] == 1000);
  CHECK(j["plus"] == 5);
  CHECK(j["neg"] == -7);
  CHECK(j["not_octal"].is_number_float());
  CHECK(j["not_octal"] == 8.0);
  CHECK(j["big"].is_number_unsigned());
  CHECK(j["exp"].is_number_float());
  CHECK(j["exp"] == 1000.0);
  CHECK(j["dot"] == 0.5);
  CHECK(j["dots"] == "1.2.3");
}

TEST_CASE("map keys become strings the way sigs.k8s.io/yaml writes them") {
  const auto j = Convert("yes: a\n1: b\n1.5: c\n\"q\": d\n");
  CHECK(j["true"] == "a");
  CHECK(j["1"] == "b");
  CHECK(j["1.5"] == "c");
  CHECK(j["q"] == "d");
}

TEST_CASE("a plain date becomes the RFC 3339 time Go marshals") {
  const auto j = Convert("d: 2024-1-2\nnot_a_date: 2024-02-30\n");
  CHECK(j["d"] == "2024-01-02T00:00:00Z");
  CHECK(j["not_a_date"] == "2024-02-30");
}

TEST_CASE("what JSON cannot hold is an error, as in YAMLToJSON") {
  std::string error;
  CHECK_FALSE(YamlToJson(YAML::Load("a: .nan\n"), &error).has_value());
  CHECK_THAT(error, Catch::Contains("unsupported value"));
  CHECK_FALSE(YamlToJson(YAML::Load("a: .inf\n"), &error).has_value());
  CHECK_FALSE(YamlToJson(YAML::Load("~: 1\n"), &error).has_value());
  CHECK_THAT(error, Catch::Contains("unsupported map key"));
}

TEST_CASE("a JSON manifest keeps its types") {
  const auto j = Convert(R"({"spec": {"nprocPerNode": "2", "replicas": 3, "ok": true, "n": null,
                              "list": [1, "x", 2.5]}})");
  CHECK(j["spec"]["nprocPerNode"] == "2");
  CHECK(j["spec"]["replicas"] == 3);
  CHECK(j["spec"]["ok"] == true);
  CHECK(j["spec"]["n"].is_null());
  CHECK(j["spec"]["list"] == nlohmann::json::parse(R"([1, "x", 2.5])"));
}

}  // namespace
}  // namespace ptsim
