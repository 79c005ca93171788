// The fields of one fault, from wherever it was written: a scenario's YAML
// mapping (yaml_fault_fields.hpp) or a `--fault` flag split into the same
// fields (fault_flag.hpp). The one decoder of faults (fault_decoder.hpp) reads
// them through this interface, so both forms accept the same values and report
// the same mistakes in the same words.
//
// Fields are named as a scenario writes them: "action", "exitCode",
// "target.replicaIndex", "when.afterRunning". A read marks the field known; a
// value of the wrong type is reported by the source, in its own terms, and
// reads as absent. Single-threaded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/diagnostics.hpp"
#include "sim/core/time.hpp"

namespace ptsim {

class FaultFields {
 public:
  virtual ~FaultFields() = default;

  // Where the fault is written (its report and plan checks point there).
  virtual SourceLocation where() const = 0;
  // Whether the field is given (a YAML null or empty value is not).
  virtual bool Has(std::string_view field) = 0;
  // Whether the field's value is exactly `word`, e.g. repeat's "always".
  virtual bool Is(std::string_view field, std::string_view word) = 0;
  virtual std::optional<std::string> Text(std::string_view field) = 0;
  virtual std::optional<std::int32_t> Int32(std::string_view field) = 0;
  virtual std::optional<std::int64_t> Int64(std::string_view field) = 0;
  virtual std::optional<Duration> Time(std::string_view field) = 0;

  // How this source spells a field in messages: "afterRunning" in a
  // scenario, "after-running" in a flag.
  virtual std::string Name(std::string_view field) const = 0;
  // Reports a mistake at `field` (at the mapping that lacks it, when it is
  // absent). "target" and "when" name those mappings, "" the whole fault.
  virtual void Error(std::string_view field, std::string message) = 0;
  // Reports that `action` needs `field`, which is `what` (e.g. "the new
  // number of replicas"); `example` is a value to show, e.g. "4".
  virtual void Missing(std::string_view action, std::string_view field, std::string_view what,
                       std::string_view example) = 0;
};

}  // namespace ptsim
