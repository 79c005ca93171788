#include "sim/model/field_error.hpp"

#include <fmt/format.h>

#include <set>

namespace ptsim {

std::string_view ToString(FieldErrorType type) {
  // field.ErrorType.String().
  switch (type) {
    case FieldErrorType::kNotFound:
      return "Not found";
    case FieldErrorType::kRequired:
      return "Required value";
    case FieldErrorType::kDuplicate:
      return "Duplicate value";
    case FieldErrorType::kInvalid:
      return "Invalid value";
    case FieldErrorType::kNotSupported:
      return "Unsupported value";
    case FieldErrorType::kForbidden:
      return "Forbidden";
    case FieldErrorType::kTooLong:
      return "Too long";
    case FieldErrorType::kTooMany:
      return "Too many";
    case FieldErrorType::kInternal:
      return "Internal error";
    case FieldErrorType::kTypeInvalid:
      return "Invalid value";
  }
  return "Invalid value";
}

std::string FieldError::Body() const {
  // field.Error.ErrorBody(): these four types never print the value.
  std::string s(ToString(type));
  const bool omit_value = type == FieldErrorType::kRequired || type == FieldErrorType::kForbidden ||
                          type == FieldErrorType::kTooLong || type == FieldErrorType::kInternal;
  if (!omit_value && value_style == ValueStyle::kQuoted) {
    // A nil value (or nil pointer) is replaced by the string "null", which
    // is then printed with %q like any string.
    s += ": " + GoQuote(bad_value.value_or("null"));
  } else if (!omit_value && value_style == ValueStyle::kRaw) {
    s += ": " + bad_value.value_or("null");
  }
  if (!detail.empty()) s += ": " + detail;
  return s;
}

std::string FieldError::Render() const {
  return field + ": " + Body();
}

FieldError FieldRequired(std::string path, std::string detail) {
  return FieldError{FieldErrorType::kRequired, std::move(path), std::string(), std::move(detail)};
}

FieldError FieldForbidden(std::string path, std::string detail) {
  return FieldError{FieldErrorType::kForbidden, std::move(path), std::string(), std::move(detail)};
}

FieldError FieldInvalid(std::string path, std::optional<std::string> value, std::string detail) {
  return FieldError{FieldErrorType::kInvalid, std::move(path), std::move(value), std::move(detail)};
}

FieldError FieldInvalidRaw(std::string path, std::string value, std::string detail) {
  FieldError e{FieldErrorType::kInvalid, std::move(path), std::move(value), std::move(detail)};
  e.value_style = FieldError::ValueStyle::kRaw;
  return e;
}

FieldError FieldInvalidOmitted(std::string path, std::string detail) {
  FieldError e{FieldErrorType::kInvalid, std::move(path), std::nullopt, std::move(detail)};
  e.value_style = FieldError::ValueStyle::kOmitted;
  return e;
}

FieldError FieldNotSupported(std::string path, std::string value,
                             const std::vector<std::string>& valid_values) {
  // field.NotSupported: each valid value through strconv.Quote, joined by ", ".
  std::string detail;
  if (!valid_values.empty()) {
    detail = "supported values: ";
    for (std::size_t i = 0; i < valid_values.size(); ++i) {
      if (i > 0) detail += ", ";
      detail += GoQuote(valid_values[i]);
    }
  }
  return FieldError{FieldErrorType::kNotSupported, std::move(path), std::move(value),
                    std::move(detail)};
}

std::string AggregateFieldErrors(const std::vector<FieldError>& errors) {
  // ErrorList.ToAggregate drops repeated messages; aggregate.Error() prints a
  // single error bare and several as "[a, b]".
  std::set<std::string> seen;
  std::vector<std::string> messages;
  for (const auto& e : errors) {
    std::string m = e.Render();
    if (seen.insert(m).second) messages.push_back(std::move(m));
  }
  if (messages.empty()) return "";
  if (messages.size() == 1) return messages[0];
  std::string out = "[";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) out += ", ";
    out += messages[i];
  }
  return out + "]";
}

}  // namespace ptsim
