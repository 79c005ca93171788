// k8s field.Error rendering (apimachinery pkg/util/validation/field/errors.go).
#include <catch2/catch.hpp>

#include "sim/model/field_error.hpp"

namespace ptsim {
namespace {

TEST_CASE("field errors render as path, type, optional value and optional detail") {
  CHECK(FieldRequired("spec.pytorchReplicaSpecs", "must be required").Render() ==
        "spec.pytorchReplicaSpecs: Required value: must be required");
  CHECK(FieldForbidden("spec.pytorchReplicaSpecs[Master].replicas", "must be 1").Render() ==
        "spec.pytorchReplicaSpecs[Master].replicas: Forbidden: must be 1");
  CHECK(FieldInvalid("metadata.name", std::string("0-test"), "bad").Render() ==
        "metadata.name: Invalid value: \"0-test\": bad");
  CHECK(FieldNotSupported("spec.pytorchReplicaSpecs[Chief]", "Chief", {"Master", "Worker"})
            .Render() ==
        "spec.pytorchReplicaSpecs[Chief]: Unsupported value: \"Chief\": supported values: "
        "\"Master\", \"Worker\"");
}

TEST_CASE("a required value without detail renders the type alone") {
  CHECK(FieldRequired("spec.pytorchReplicaSpecs", "").Render() ==
        "spec.pytorchReplicaSpecs: Required value");
}

TEST_CASE("a nil bad value renders as the quoted string null, as ErrorBody does") {
  CHECK(FieldInvalid("spec.runPolicy.managedBy", std::nullopt, "field is immutable").Body() ==
        "Invalid value: \"null\": field is immutable");
}

TEST_CASE("an aggregate of errors is bare for one, bracketed for several, without repeats") {
  const FieldError a = FieldRequired("x", "must be specified");
  const FieldError b = FieldRequired("x", "must have at least one container with name pytorch");
  CHECK(AggregateFieldErrors({}) == "");
  CHECK(AggregateFieldErrors({a}) == "x: Required value: must be specified");
  CHECK(AggregateFieldErrors({a, b, a}) ==
        "[x: Required value: must be specified, x: Required value: must have at least one "
        "container with name pytorch]");
}

TEST_CASE("GoQuote quotes like Go's strconv.Quote") {
  CHECK(GoQuote("abc") == "\"abc\"");
  CHECK(GoQuote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(GoQuote("tab\there\nnl") == "\"tab\\there\\nnl\"");
  CHECK(GoQuote(std::string("\x01\x7f", 2)) == "\"\\x01\\x7f\"");
  CHECK(GoQuote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(GoQuote("bad\xff") == "\"bad\\xff\"");
  CHECK(GoQuote("nb\xc2\xa0sp") == "\"nb\\u00a0sp\"");
}

}  // namespace
}  // namespace ptsim
