#include "sim/harness/faults/yaml_fault_fields.hpp"

#include <fmt/format.h>

#include "sim/harness/faults/fault_decoder.hpp"

namespace ptsim {

YamlFaultFields::YamlFaultFields(DecodeContext& ctx, const YAML::Node& node,
                                 const std::string& path)
    : ctx_(ctx), fault_(ctx, node, path) {
  if (!fault_.ok()) return;
  for (auto [key, reader] : {std::pair{"target", &target_}, std::pair{"when", &when_}}) {
    YAML::Node nested = fault_.Get(key);
    if (!IsAbsent(nested)) reader->emplace(ctx, nested, fault_.FieldPath(key));
  }
}

MapReader* YamlFaultFields::Reader(std::string_view field, std::string_view* key) {
  const auto dot = field.find('.');
  *key = field.substr(dot == std::string_view::npos ? 0 : dot + 1);
  if (dot == std::string_view::npos) return fault_.ok() ? &fault_ : nullptr;
  std::optional<MapReader>& nested = field.substr(0, dot) == "target" ? target_ : when_;
  return nested && nested->ok() ? &*nested : nullptr;
}

YAML::Node YamlFaultFields::Value(std::string_view field, std::string* path) {
  std::string_view key;
  MapReader* reader = Reader(field, &key);
  if (reader == nullptr) return YAML::Node();
  *path = reader->FieldPath(key);
  return reader->Get(key);
}

bool YamlFaultFields::Has(std::string_view field) {
  std::string path;
  return !IsAbsent(Value(field, &path));
}

bool YamlFaultFields::Is(std::string_view field, std::string_view word) {
  std::string path;
  const YAML::Node n = Value(field, &path);
  return n.IsDefined() && n.IsScalar() && n.Scalar() == word;
}

std::optional<std::string> YamlFaultFields::Text(std::string_view field) {
  std::string path, out;
  const YAML::Node n = Value(field, &path);
  if (IsAbsent(n) || !ReadString(ctx_, n, path, &out)) return std::nullopt;
  return out;
}

std::optional<std::int32_t> YamlFaultFields::Int32(std::string_view field) {
  std::string path;
  std::int32_t out = 0;
  const YAML::Node n = Value(field, &path);
  if (IsAbsent(n) || !ReadInt32(ctx_, n, path, &out)) return std::nullopt;
  return out;
}

std::optional<std::int64_t> YamlFaultFields::Int64(std::string_view field) {
  std::string path;
  std::int64_t out = 0;
  const YAML::Node n = Value(field, &path);
  if (IsAbsent(n) || !ReadInt64(ctx_, n, path, &out)) return std::nullopt;
  return out;
}

std::optional<Duration> YamlFaultFields::Time(std::string_view field) {
  std::string path;
  Duration out{};
  const YAML::Node n = Value(field, &path);
  if (IsAbsent(n) || !ReadDuration(ctx_, n, path, &out)) return std::nullopt;
  return out;
}

std::string YamlFaultFields::Name(std::string_view field) const {
  return std::string(field.substr(field.rfind('.') + 1));
}

void YamlFaultFields::Error(std::string_view field, std::string message) {
  if (field == "target" || field == "when") {
    const std::optional<MapReader>& nested = field == "target" ? target_ : when_;
    if (nested) {
      ctx_.Error(nested->node(), nested->path(), std::move(message));
      return;
    }
  }
  if (field.empty()) {
    ctx_.Error(fault_.node(), fault_.path(), std::move(message));
    return;
  }
  std::string_view key;
  MapReader* reader = Reader(field, &key);
  if (reader == nullptr) {  // in a mapping that is absent or not a mapping
    ctx_.Error(fault_.node(), fault_.FieldPath(field), std::move(message));
    return;
  }
  const YAML::Node n = reader->Get(key);
  ctx_.Error(IsAbsent(n) ? reader->node() : n, reader->FieldPath(key), std::move(message));
}

void YamlFaultFields::Missing(std::string_view action, std::string_view field,
                              std::string_view what, std::string_view /*example*/) {
  ctx_.Error(fault_.node(), fault_.path(), fmt::format("{} needs `{}`, {}", action, field, what));
}

void DecodeFault(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                 FaultSpec* f) {
  YamlFaultFields fields(ctx, node, path);
  if (!fields.ok()) return;
  DecodeFaultFields(fields, f);
  ValidateFaultSpec(*f, &ctx.diagnostics());
}

}  // namespace ptsim
