// Strict, line-aware decoding of YAML (and JSON, which yaml-cpp reads as YAML)
// into typed structs.
//
// A DecodeContext collects Diagnostics for one file. MapReader walks one
// mapping: each accessor marks its key as known and type-checks the value;
// when the reader is destroyed, every key nobody asked for is reported as an
// unknown field, with a "did you mean" hint. Quoted scalars are strings; a
// plain scalar is what go-yaml v2 resolves it to (yaml_to_json.hpp), which is
// what kubectl sends and the API server's JSON decoding sees: `-e` and `--`
// are strings, `1e3` and `0x1F` numbers, `yes` and `on` booleans, and a value
// of the wrong type is an error. Single-threaded.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/core/time.hpp"
#include "sim/model/quantity.hpp"

namespace ptsim {

class DecodeContext {
 public:
  DecodeContext(std::string file, Diagnostics* diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics) {}

  // The object being decoded, e.g. `Pod "trainer"`; prefixes every diagnostic.
  void set_object(std::string object) { object_ = std::move(object); }
  const std::string& object() const { return object_; }
  const std::string& file() const { return file_; }
  Diagnostics& diagnostics() { return *diagnostics_; }

  SourceLocation Where(const YAML::Node& node) const;
  void Error(const YAML::Node& at, const std::string& path, std::string message);
  void Warning(const YAML::Node& at, const std::string& path, std::string message);

 private:
  std::string file_;
  std::string object_;
  Diagnostics* diagnostics_;
};

// True for an absent node, `~`, `null` or an empty value.
bool IsAbsent(const YAML::Node& node);
// True for a quoted scalar (a string in JSON terms).
bool IsQuoted(const YAML::Node& node);

// Scalar readers: return false (after reporting) on a type mismatch.
bool ReadString(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                std::string* out);
bool ReadInt64(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
               std::int64_t* out);
bool ReadInt32(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
               std::int32_t* out);
bool ReadDouble(DecodeContext& ctx, const YAML::Node& node, const std::string& path, double* out);
bool ReadBool(DecodeContext& ctx, const YAML::Node& node, const std::string& path, bool* out);
// A quantity may be written as a string ("500m") or a plain number (2).
bool ReadQuantity(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                  Quantity* out);
// A Go-style duration string ("90s", "10m").
bool ReadDuration(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                  Duration* out);

// "a.b" + "c" -> "a.b.c"; "" + "c" -> "c".
std::string JoinPath(const std::string& base, std::string_view key);
// "a.b" + 3 -> "a.b[3]"; "a.b" + "Master" -> "a.b[Master]".
std::string IndexPath(const std::string& base, std::size_t index);
std::string KeyPath(const std::string& base, std::string_view key);

class MapReader {
 public:
  // A null node reads as an empty mapping; a non-mapping is reported.
  MapReader(DecodeContext& ctx, const YAML::Node& node, std::string path);
  ~MapReader();
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

  bool ok() const { return ok_; }
  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  DecodeContext& ctx() { return ctx_; }

  bool Has(std::string_view key) const;
  // Marks `key` known and returns its value node (null node when absent).
  YAML::Node Get(std::string_view key);
  std::string FieldPath(std::string_view key) const { return JoinPath(path_, key); }

  void String(std::string_view key, std::string* out, bool required = false);
  void Int32(std::string_view key, std::int32_t* out);
  void Int64(std::string_view key, std::int64_t* out);
  void OptInt32(std::string_view key, std::optional<std::int32_t>* out);
  void OptInt64(std::string_view key, std::optional<std::int64_t>* out);
  void Bool(std::string_view key, bool* out);
  void OptBool(std::string_view key, std::optional<bool>* out);
  void Double(std::string_view key, double* out);
  void DurationField(std::string_view key, Duration* out);
  void OptDuration(std::string_view key, std::optional<Duration>* out);
  void StringList(std::string_view key, std::vector<std::string>* out);
  void StringMap(std::string_view key, std::map<std::string, std::string>* out);
  void Quantities(std::string_view key, ResourceList* out);

  // Decodes a list; `item` gets the element node and its path.
  template <typename T>
  void List(
      std::string_view key, std::vector<T>* out,
      const std::function<void(DecodeContext&, const YAML::Node&, const std::string&, T*)>& item) {
    YAML::Node n = Get(key);
    if (IsAbsent(n)) return;
    const std::string p = FieldPath(key);
    if (!n.IsSequence()) {
      ctx_.Error(n, p, "expected a list");
      return;
    }
    out->clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      T value{};
      item(ctx_, n[i], IndexPath(p, i), &value);
      out->push_back(std::move(value));
    }
  }

  // Decodes a nested mapping with a fresh reader.
  void Nested(std::string_view key, const std::function<void(MapReader&)>& decode);
  // Keys that are valid Kubernetes fields with no effect in ptsim.
  void Accept(std::initializer_list<std::string_view> keys);
  void Accept(std::string_view key) { Accept({key}); }
  // Keys that are valid but not simulated: accepted with a warning.
  void Unsupported(std::string_view key, std::string_view what);

 private:
  DecodeContext& ctx_;
  YAML::Node node_;
  std::string path_;
  std::set<std::string, std::less<>> known_;
  bool ok_ = true;
};

}  // namespace ptsim
