// The compact command-line form of a fault (docs/scenarios.md#the---fault-flag):
//   ACTION[:ARG]@TARGET[/CONTAINER]@TRIGGER[,OPTION=VALUE...]
// e.g. kill:SIGKILL@Worker-1@log=step 50, exit:3@Master@at=30s,
// node-down@node=node-2@at=1m,duration=5m. FlagFaultFields splits a flag into
// the fields a scenario writes (ARG into the action's argument field, TARGET
// into target.*, OPTION into when.*, duration or repeat), so that the one
// decoder (fault_decoder.hpp) reads both forms. Its errors name `--fault`,
// quote the flag as Go's %q would and show the grammar; a flag reports its
// first mistake only. ParseFaultFlag (fault_spec.hpp) is the entry point.
// Single-threaded.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "sim/harness/fault_spec.hpp"
#include "sim/harness/faults/fault_fields.hpp"

namespace ptsim {

class FlagFaultFields final : public FaultFields {
 public:
  // Splits `text`; a flag that does not split has that as its error.
  explicit FlagFaultFields(std::string text);

  bool ok() const { return diagnostics_.ok(); }
  const Diagnostics& diagnostics() const { return diagnostics_; }

  SourceLocation where() const override { return {"--fault", 0, 0}; }
  bool Has(std::string_view field) override { return values_.count(field) > 0; }
  bool Is(std::string_view field, std::string_view word) override;
  std::optional<std::string> Text(std::string_view field) override;
  std::optional<std::int32_t> Int32(std::string_view field) override;
  std::optional<std::int64_t> Int64(std::string_view field) override;
  std::optional<Duration> Time(std::string_view field) override;
  std::string Name(std::string_view field) const override;
  void Error(std::string_view field, std::string message) override;
  void Missing(std::string_view action, std::string_view field, std::string_view what,
               std::string_view example) override;

 private:
  struct Value {
    std::string text;
    std::string option;  // the OPTION it came from; empty for ARG and TARGET
    std::string noun;    // for ARG and TARGET numbers: what it is, quoted
  };

  void SplitAction(const std::string& part);
  void SplitTarget(std::string part);
  void SplitOptions(const std::string& part);
  const Value* Find(std::string_view field) const;
  // Reports that a number field's value is no number.
  void NotANumber(std::string_view field, const Value& value);

  std::string text_;
  std::map<std::string, Value, std::less<>> values_;
  Diagnostics diagnostics_;
};

// The `--fault` text of a decoded fault, which ParseFaultFlag reads back as
// the same fault (but for its name): what a tool that enumerates faults can
// print so that a run can be repeated. nullopt for what only a scenario can
// say: a namespace, a chaos mode, a grace period, another action's argument,
// a container of pods picked by pod=, selector= or node=, a job and a replica
// type together, or a value holding a character that the grammar splits on.
std::optional<std::string> FaultFlagText(const FaultSpec& f);

}  // namespace ptsim
