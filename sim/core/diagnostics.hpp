// Errors as values (leveldb Status, ninja ExitStatus): parsing, validation and
// set-up return what went wrong, where, and what to do, instead of throwing.
//
// A Diagnostic names the file and line where known, the object (e.g.
// `PyTorchJob "mnist"`), the field path, and a message that ends with advice
// when there is advice to give. Plain data; any thread.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ptsim {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  SourceLocation where;
  std::string object;  // e.g. `PyTorchJob "mnist"`; may be empty
  std::string field;   // e.g. `spec.pytorchReplicaSpecs[Master].replicas`; may be empty
  std::string message;

  // "file:line:col: error: <object>: <field>: <message>", on one line: any
  // non-printable character is escaped as Go's %q would (go_quote.hpp).
  std::string Render() const;
};

class Diagnostics {
 public:
  Diagnostic& Error(SourceLocation where, std::string object, std::string field,
                    std::string message);
  Diagnostic& Warning(SourceLocation where, std::string object, std::string field,
                      std::string message);
  // Adds one diagnostic as it is, error or warning.
  Diagnostic& Add(Diagnostic diagnostic);
  void Append(const Diagnostics& other);

  bool ok() const { return errors_ == 0; }
  int errors() const { return errors_; }
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // Every diagnostic, one per line.
  std::string Render() const;

 private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

// A value or the diagnostics that explain why there is none. Warnings may
// accompany a value.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Diagnostics diagnostics) : diagnostics_(std::move(diagnostics)) {}  // NOLINT
  Result(T value, Diagnostics warnings)
      : value_(std::move(value)), diagnostics_(std::move(warnings)) {}

  bool ok() const { return value_.has_value() && diagnostics_.ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  std::optional<T> value_;
  Diagnostics diagnostics_;
};

}  // namespace ptsim
