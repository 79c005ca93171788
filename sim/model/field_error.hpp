// Field-level validation errors rendered exactly as Kubernetes renders them
// (k8s.io/apimachinery/pkg/util/validation/field/errors.go @v0.31.3, the
// version training-operator v1.9 builds with; v0.29.3, used by v1.8.1, is
// identical here): `<path>: <Type>[: <value>][: <detail>]`, and the aggregate
// of an ErrorList (`[e1, e2]`, duplicates dropped) that an admission webhook
// denial carries. Plain data; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/go_quote.hpp"

namespace ptsim {

// field.ErrorType; ToString gives ErrorType.String() ("Required value", ...).
enum class FieldErrorType {
  kNotFound,
  kRequired,
  kDuplicate,
  kInvalid,
  kNotSupported,
  kForbidden,
  kTooLong,
  kTooMany,
  kInternal,
  kTypeInvalid,
};
std::string_view ToString(FieldErrorType type);

struct FieldError {
  FieldErrorType type = FieldErrorType::kInvalid;
  std::string field;  // rendered path, e.g. spec.pytorchReplicaSpecs[Master].replicas
  // The bad value as a string; nullopt is Go's nil (a nil pointer), which
  // apimachinery prints as "null". Required, Forbidden, TooLong and Internal
  // errors never print their value.
  std::optional<std::string> bad_value;
  std::string detail;
  // How the value prints: a Go string is quoted (%q); a number or a list
  // prints as Go formats it (the caller renders it into bad_value); a
  // field.OmitValueType value prints nothing.
  enum class ValueStyle { kQuoted, kRaw, kOmitted };
  ValueStyle value_style = ValueStyle::kQuoted;

  // ErrorBody(): the message without the field, e.g. `Forbidden: must be 1`.
  std::string Body() const;
  // Error(): `<field>: <Body()>`.
  std::string Render() const;

  bool operator==(const FieldError&) const = default;
};

// The constructors of field/errors.go.
FieldError FieldRequired(std::string path, std::string detail);
FieldError FieldForbidden(std::string path, std::string detail);
FieldError FieldInvalid(std::string path, std::optional<std::string> value, std::string detail);
// field.Invalid with a number (or another value Go prints unquoted): `Invalid value: -1: ...`.
FieldError FieldInvalidRaw(std::string path, std::string value, std::string detail);
// field.Invalid with field.OmitValueType{}: `Invalid value: <detail>`.
FieldError FieldInvalidOmitted(std::string path, std::string detail);
// detail = `supported values: "a", "b"` in the order given.
FieldError FieldNotSupported(std::string path, std::string value,
                             const std::vector<std::string>& valid_values);

// ErrorList.ToAggregate().Error(): "" for no errors, the one message for one,
// else `[m1, m2, ...]` in list order with repeated messages dropped.
std::string AggregateFieldErrors(const std::vector<FieldError>& errors);

}  // namespace ptsim
