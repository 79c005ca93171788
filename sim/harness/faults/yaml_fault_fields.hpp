// A fault as a scenario writes it (an item of `faults:`, docs/scenarios.md#faults),
// read through FaultFields: each field is type-checked as MapReader checks
// it, every key nobody asked for is an unknown field, and every message
// carries file:line:column and the field's path. Single-threaded; lives while
// one fault is decoded.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "sim/harness/fault_spec.hpp"
#include "sim/harness/faults/fault_fields.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

class YamlFaultFields final : public FaultFields {
 public:
  YamlFaultFields(DecodeContext& ctx, const YAML::Node& node, const std::string& path);

  // False when the fault is not a mapping (already reported).
  bool ok() const { return fault_.ok(); }

  SourceLocation where() const override { return ctx_.Where(fault_.node()); }
  bool Has(std::string_view field) override;
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
  // The mapping that holds `field` and the field's key in it; nullptr when
  // that mapping is absent or not a mapping.
  MapReader* Reader(std::string_view field, std::string_view* key);
  // The field's value, marked known (a null node when absent).
  YAML::Node Value(std::string_view field, std::string* path);

  DecodeContext& ctx_;
  MapReader fault_;
  std::optional<MapReader> target_;
  std::optional<MapReader> when_;
};

// Decodes one item of a scenario's `faults:` into `f` and checks it
// (ValidateFaultSpec); errors go to ctx. For MapReader::List.
void DecodeFault(DecodeContext& ctx, const YAML::Node& node, const std::string& path, FaultSpec* f);

}  // namespace ptsim
