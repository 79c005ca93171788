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
  if (!omit_value) {
    // A nil value (or nil pointer) is replaced by the string "null", which
    // is then printed with %q like any string.
    s += ": " + GoQuote(bad_value.value_or("null"));
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

namespace {

// Length of the valid UTF-8 sequence starting at s[i] and its code point, or 0.
std::size_t DecodeUtf8(std::string_view s, std::size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  char32_t v = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    v = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    v = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    v = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0u) != 0x80u) return 0;
    v = (v << 6) | (b & 0x3Fu);
  }
  // Overlong, surrogate and out-of-range forms are invalid.
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return n;
}

}  // namespace

std::string GoQuote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\x{:02x}", c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t n = DecodeUtf8(text, i, &cp);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    const bool non_printable =
        (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
    if (non_printable) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out + "\"";
}

}  // namespace ptsim
