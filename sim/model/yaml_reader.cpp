#include "sim/model/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/core/go_quote.hpp"
#include "sim/core/spelling.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

std::string Describe(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (IsQuoted(node)) return fmt::format("the string {}", GoQuote(node.Scalar()));
  return EscapeUnprintable(node.Scalar());
}

// The JSON value kubectl would send for a plain scalar (yaml_to_json.hpp:
// go-yaml v2's resolution); nullopt for .inf and .nan, which JSON cannot hold.
std::optional<nlohmann::json> Plain(const YAML::Node& node) {
  return ResolvePlainScalar(node.Scalar());
}

// A JSON number as a Go integer field decodes it: integers that fit, and
// floats with no fraction (json.Marshal prints 1e3 as 1000) below 2^63.
bool JsonInteger(const nlohmann::json& v, std::int64_t* out) {
  if (v.is_number_integer() && !v.is_number_unsigned()) {
    *out = v.get<std::int64_t>();
    return true;
  }
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() >
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return false;
    *out = static_cast<std::int64_t>(v.get<std::uint64_t>());
    return true;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::trunc(d) != d || d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
      return false;
    }
    *out = static_cast<std::int64_t>(d);
    return true;
  }
  return false;
}

}  // namespace

SourceLocation DecodeContext::Where(const YAML::Node& node) const {
  SourceLocation loc{file_, 0, 0};
  if (node.IsDefined()) {
    const YAML::Mark mark = node.Mark();
    if (mark.line >= 0) {
      loc.line = mark.line + 1;
      loc.column = mark.column + 1;
    }
  }
  return loc;
}

void DecodeContext::Error(const YAML::Node& at, const std::string& path, std::string message) {
  diagnostics_->Error(Where(at), object_, path, std::move(message));
}

void DecodeContext::Warning(const YAML::Node& at, const std::string& path, std::string message) {
  diagnostics_->Warning(Where(at), object_, path, std::move(message));
}

bool IsAbsent(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return true;
  return node.IsScalar() && !IsQuoted(node) &&
         (node.Scalar().empty() || node.Scalar() == "~" || node.Scalar() == "null" ||
          node.Scalar() == "Null" || node.Scalar() == "NULL");
}

bool IsQuoted(const YAML::Node& node) {
  return node.IsScalar() && node.Tag() == "!";
}

bool ReadString(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                std::string* out) {
  if (!node.IsScalar()) {
    ctx.Error(node, path, fmt::format("expected a string, got {}", Describe(node)));
    return false;
  }
  if (!IsQuoted(node)) {
    // A plain scalar is a string unless go-yaml resolves it to something else:
    // `-e`, `--`, `..`, `e1` and `_` are strings; `1e3`, `0x1F`, `.5`, `yes`
    // and `on` are not, and kubectl would send them as numbers and booleans.
    const auto v = Plain(node);
    const std::string& s = node.Scalar();
    if (!v || v->is_number() || v->is_boolean()) {
      ctx.Error(node, path,
                fmt::format("expected a string, got the {} {}; quote it: \"{}\"",
                            v && v->is_boolean() ? "boolean" : "number", s, s));
      return false;
    }
    if (v->is_null()) {  // Go's encoding/json leaves a string field unset for null
      out->clear();
      return true;
    }
  }
  *out = node.Scalar();
  return true;
}

bool ReadInt64(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
               std::int64_t* out) {
  if (node.IsScalar() && !IsQuoted(node)) {
    const auto v = Plain(node);
    if (v && JsonInteger(*v, out)) return true;
  }
  ctx.Error(node, path, fmt::format("expected an integer, got {}", Describe(node)));
  return false;
}

bool ReadInt32(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
               std::int32_t* out) {
  std::int64_t v = 0;
  if (!ReadInt64(ctx, node, path, &v)) return false;
  if (v < std::numeric_limits<std::int32_t>::min() ||
      v > std::numeric_limits<std::int32_t>::max()) {
    ctx.Error(node, path, fmt::format("{} does not fit in a 32-bit integer", v));
    return false;
  }
  *out = static_cast<std::int32_t>(v);
  return true;
}

bool ReadDouble(DecodeContext& ctx, const YAML::Node& node, const std::string& path, double* out) {
  if (node.IsScalar() && !IsQuoted(node)) {
    const auto v = Plain(node);
    if (v && v->is_number()) {
      *out = v->get<double>();
      return true;
    }
  }
  ctx.Error(node, path, fmt::format("expected a number, got {}", Describe(node)));
  return false;
}

bool ReadBool(DecodeContext& ctx, const YAML::Node& node, const std::string& path, bool* out) {
  if (node.IsScalar() && !IsQuoted(node)) {
    const auto v = Plain(node);
    if (v && v->is_boolean()) {
      *out = v->get<bool>();
      return true;
    }
  }
  ctx.Error(node, path, fmt::format("expected true or false, got {}", Describe(node)));
  return false;
}

bool ReadQuantity(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                  Quantity* out) {
  if (!node.IsScalar()) {
    ctx.Error(node, path,
              fmt::format("expected a quantity such as 500m or 2Gi, got {}", Describe(node)));
    return false;
  }
  auto q = Quantity::Parse(node.Scalar());
  if (!q.ok()) {
    ctx.Error(node, path,
              fmt::format("invalid quantity {}: {}", GoQuote(node.Scalar()),
                          q.diagnostics().items().front().message));
    return false;
  }
  *out = *q;
  return true;
}

bool ReadDuration(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                  Duration* out) {
  if (!node.IsScalar()) {
    ctx.Error(node, path, fmt::format("expected a duration such as 90s, got {}", Describe(node)));
    return false;
  }
  std::string error;
  auto d = ParseGoDuration(node.Scalar(), &error);
  if (!d) {
    ctx.Error(node, path, error);
    return false;
  }
  *out = *d;
  return true;
}

std::string JoinPath(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}
std::string IndexPath(const std::string& base, std::size_t index) {
  return fmt::format("{}[{}]", base, index);
}
std::string KeyPath(const std::string& base, std::string_view key) {
  return fmt::format("{}[{}]", base, key);
}

MapReader::MapReader(DecodeContext& ctx, const YAML::Node& node, std::string path)
    : ctx_(ctx), node_(node), path_(std::move(path)) {
  if (IsAbsent(node_)) {
    node_ = YAML::Node(YAML::NodeType::Map);
    return;
  }
  if (!node_.IsMap()) {
    ctx_.Error(node, path_, fmt::format("expected a mapping, got {}", Describe(node)));
    ok_ = false;
    return;
  }
  // sigs.k8s.io/yaml rejects duplicate keys; so do we.
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) {
      ctx_.Error(kv.first, JoinPath(path_, key), fmt::format("duplicate key {}", GoQuote(key)));
    }
  }
}

MapReader::~MapReader() {
  if (!ok_) return;
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (known_.count(key)) continue;
    std::string best;
    std::size_t best_distance = 3;
    for (const auto& k : known_) {
      const std::size_t d = EditDistance(key, k);
      if (d < best_distance) {
        best_distance = d;
        best = k;
      }
    }
    std::string message = fmt::format("unknown field {}", GoQuote(key));
    if (!best.empty()) {
      message += fmt::format("; did you mean \"{}\"?", best);
    } else {
      message += "; check its spelling or remove it";
    }
    ctx_.Error(kv.first, JoinPath(path_, key), std::move(message));
  }
}

bool MapReader::Has(std::string_view key) const {
  return ok_ && node_[std::string(key)].IsDefined() && !IsAbsent(node_[std::string(key)]);
}

YAML::Node MapReader::Get(std::string_view key) {
  known_.insert(std::string(key));
  if (!ok_) return YAML::Node();
  const YAML::Node& const_node = node_;
  return const_node[std::string(key)];
}

void MapReader::String(std::string_view key, std::string* out, bool required) {
  YAML::Node n = Get(key);
  if (IsAbsent(n)) {
    if (required) ctx_.Error(node_, FieldPath(key), "Required value");
    return;
  }
  ReadString(ctx_, n, FieldPath(key), out);
}

void MapReader::Int32(std::string_view key, std::int32_t* out) {
  YAML::Node n = Get(key);
  if (!IsAbsent(n)) ReadInt32(ctx_, n, FieldPath(key), out);
}

void MapReader::Int64(std::string_view key, std::int64_t* out) {
  YAML::Node n = Get(key);
  if (!IsAbsent(n)) ReadInt64(ctx_, n, FieldPath(key), out);
}

void MapReader::OptInt32(std::string_view key, std::optional<std::int32_t>* out) {
  YAML::Node n = Get(key);
  std::int32_t v = 0;
  if (!IsAbsent(n) && ReadInt32(ctx_, n, FieldPath(key), &v)) *out = v;
}

void MapReader::OptInt64(std::string_view key, std::optional<std::int64_t>* out) {
  YAML::Node n = Get(key);
  std::int64_t v = 0;
  if (!IsAbsent(n) && ReadInt64(ctx_, n, FieldPath(key), &v)) *out = v;
}

void MapReader::Bool(std::string_view key, bool* out) {
  YAML::Node n = Get(key);
  if (!IsAbsent(n)) ReadBool(ctx_, n, FieldPath(key), out);
}

void MapReader::OptBool(std::string_view key, std::optional<bool>* out) {
  YAML::Node n = Get(key);
  bool v = false;
  if (!IsAbsent(n) && ReadBool(ctx_, n, FieldPath(key), &v)) *out = v;
}

void MapReader::Double(std::string_view key, double* out) {
  YAML::Node n = Get(key);
  if (!IsAbsent(n)) ReadDouble(ctx_, n, FieldPath(key), out);
}

void MapReader::DurationField(std::string_view key, Duration* out) {
  YAML::Node n = Get(key);
  if (!IsAbsent(n)) ReadDuration(ctx_, n, FieldPath(key), out);
}

void MapReader::OptDuration(std::string_view key, std::optional<Duration>* out) {
  YAML::Node n = Get(key);
  Duration d{};
  if (!IsAbsent(n) && ReadDuration(ctx_, n, FieldPath(key), &d)) *out = d;
}

void MapReader::StringList(std::string_view key, std::vector<std::string>* out) {
  List<std::string>(
      key, out, [](DecodeContext& c, const YAML::Node& n, const std::string& p, std::string* s) {
        ReadString(c, n, p, s);
      });
}

void MapReader::StringMap(std::string_view key, std::map<std::string, std::string>* out) {
  YAML::Node n = Get(key);
  if (IsAbsent(n)) return;
  const std::string p = FieldPath(key);
  if (!n.IsMap()) {
    ctx_.Error(n, p, fmt::format("expected a mapping of strings, got {}", Describe(n)));
    return;
  }
  for (const auto& kv : n) {
    std::string value;
    if (ReadString(ctx_, kv.second, KeyPath(p, kv.first.Scalar()), &value)) {
      (*out)[kv.first.Scalar()] = value;
    }
  }
}

void MapReader::Quantities(std::string_view key, ResourceList* out) {
  YAML::Node n = Get(key);
  if (IsAbsent(n)) return;
  const std::string p = FieldPath(key);
  if (!n.IsMap()) {
    ctx_.Error(n, p, fmt::format("expected a mapping of resource quantities, got {}", Describe(n)));
    return;
  }
  for (const auto& kv : n) {
    Quantity q;
    if (ReadQuantity(ctx_, kv.second, KeyPath(p, kv.first.Scalar()), &q)) {
      (*out)[kv.first.Scalar()] = q;
    }
  }
}

void MapReader::Nested(std::string_view key, const std::function<void(MapReader&)>& decode) {
  YAML::Node n = Get(key);
  if (IsAbsent(n)) return;
  MapReader nested(ctx_, n, FieldPath(key));
  if (nested.ok()) decode(nested);
}

void MapReader::Accept(std::initializer_list<std::string_view> keys) {
  for (auto k : keys)
    known_.insert(std::string(k));
}

void MapReader::Unsupported(std::string_view key, std::string_view what) {
  YAML::Node n = Get(key);
  if (!IsAbsent(n)) {
    ctx_.Warning(n, FieldPath(key), fmt::format("{} is not simulated and has no effect", what));
  }
}

}  // namespace ptsim
