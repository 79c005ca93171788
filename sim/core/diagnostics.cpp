#include "sim/core/diagnostics.hpp"

#include <fmt/format.h>

#include "sim/core/go_quote.hpp"

namespace ptsim {

std::string Diagnostic::Render() const {
  // Object, field and message may echo input: whatever control bytes, bidi
  // overrides or invalid UTF-8 they carry are printed as Go escapes, never raw.
  std::string out;
  if (!where.file.empty()) {
    out += EscapeUnprintable(where.file);
    if (where.line > 0) out += fmt::format(":{}", where.line);
    if (where.line > 0 && where.column > 0) out += fmt::format(":{}", where.column);
    out += ": ";
  }
  out += severity == Severity::kError ? "error: " : "warning: ";
  if (!object.empty()) out += EscapeUnprintable(object) + ": ";
  if (!field.empty()) out += EscapeUnprintable(field) + ": ";
  out += EscapeUnprintable(message);
  return out;
}

Diagnostic& Diagnostics::Error(SourceLocation where, std::string object, std::string field,
                               std::string message) {
  return Add(Diagnostic{Diagnostic::Severity::kError, std::move(where), std::move(object),
                        std::move(field), std::move(message)});
}

Diagnostic& Diagnostics::Warning(SourceLocation where, std::string object, std::string field,
                                 std::string message) {
  return Add(Diagnostic{Diagnostic::Severity::kWarning, std::move(where), std::move(object),
                        std::move(field), std::move(message)});
}

Diagnostic& Diagnostics::Add(Diagnostic diagnostic) {
  if (diagnostic.severity == Diagnostic::Severity::kError) ++errors_;
  return items_.emplace_back(std::move(diagnostic));
}

void Diagnostics::Append(const Diagnostics& other) {
  for (const auto& d : other.items_)
    Add(d);
}

std::string Diagnostics::Render() const {
  std::string out;
  for (const auto& d : items_)
    out += d.Render() + "\n";
  return out;
}

}  // namespace ptsim
