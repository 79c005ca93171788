#include "fakes/flyte/yaml_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>

#include <fmt/format.h>

#include "sim/model/user_regex.hpp"

namespace ptsim::flyte {
namespace {

// YAML 1.2 core schema resolution of plain scalars.
const std::regex& IntPattern() {
  static const std::regex re("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", kLinearRegex);
  return re;
}
const std::regex& FloatPattern() {
  static const std::regex re(
      "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|"
      "NAN)",
      kLinearRegex);
  return re;
}

bool IsPlain(const YAML::Node& node) {
  return node.Tag() == "?";
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "null";
    default:
      break;
  }
  PyScalar s = YamlDocument::Scalar(node);
  switch (s.type) {
    case PyScalar::Type::kBool:
      return "the boolean " + node.Scalar();
    case PyScalar::Type::kInt:
      return "the integer " + node.Scalar();
    case PyScalar::Type::kFloat:
      return "the number " + node.Scalar();
    default:
      return "the string " + PyStrRepr(node.Scalar());
  }
}

}  // namespace

SourceLocation YamlDocument::Where(const YAML::Node& node) const {
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file_, 0, 0};
  return {file_, mark.line + 1, mark.column + 1};
}

void YamlDocument::Record(const std::string& path, const YAML::Node& node) {
  locations_[path] = Where(node);
}

void YamlDocument::Error(const YAML::Node& node, const std::string& path,
                         const std::string& message) {
  diags_->Error(Where(node), "", path, message);
}

PyScalar YamlDocument::Scalar(const YAML::Node& node) {
  if (node.IsNull()) return PyScalar::None();
  const std::string& text = node.Scalar();
  if (!IsPlain(node)) return PyScalar::Str(text);
  if (text == "true" || text == "True" || text == "TRUE") return PyScalar::Bool(true);
  if (text == "false" || text == "False" || text == "FALSE") return PyScalar::Bool(false);
  if (std::regex_match(text, IntPattern())) {
    int base = text.rfind("0x", 0) == 0 ? 16 : text.rfind("0o", 0) == 0 ? 8 : 10;
    const char* digits = text.c_str() + (base == 10 ? 0 : 2);
    errno = 0;
    long long v = std::strtoll(digits, nullptr, base);
    if (errno == ERANGE) return PyScalar::Str(text);  // beyond int64: kept as text
    return PyScalar::Int(v);
  }
  if (std::regex_match(text, FloatPattern())) {
    std::string t = text;
    if (t.find("inf") != std::string::npos || t.find("Inf") != std::string::npos ||
        t.find("INF") != std::string::npos) {
      return PyScalar::Float(t[0] == '-' ? -HUGE_VAL : HUGE_VAL);
    }
    if (t.find('.') == 0 && t.size() > 1 && (t[1] == 'n' || t[1] == 'N')) {
      return PyScalar::Float(std::nan(""));
    }
    return PyScalar::Float(std::strtod(t.c_str(), nullptr));
  }
  return PyScalar::Str(text);
}

nlohmann::json YamlDocument::ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node)
        out[kv.first.Scalar()] = ToJson(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node)
        out.push_back(ToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      PyScalar s = Scalar(node);
      switch (s.type) {
        case PyScalar::Type::kBool:
          return s.text == "True";
        case PyScalar::Type::kInt:
          return std::stoll(s.text);
        case PyScalar::Type::kFloat:
          return std::strtod(node.Scalar().c_str(), nullptr);
        case PyScalar::Type::kNone:
          return nullptr;
        default:
          return node.Scalar();
      }
    }
    default:
      return nullptr;
  }
}

YamlMap::YamlMap(YamlDocument* doc, const YAML::Node& node, std::string path)
    : doc_(doc), node_(node), path_(std::move(path)) {
  if (!node.IsMap()) {
    doc_->Error(node, path_, "expected a mapping, got " + Describe(node));
    ok_ = false;
    return;
  }
  for (const auto& kv : node) {
    std::string key = kv.first.Scalar();
    if (entries_.count(key) > 0) {
      doc_->Error(kv.first, Path(key), "duplicate key");
      continue;
    }
    entries_[key] = kv.second;
    doc_->Record(Path(key), kv.first);
  }
}

bool YamlMap::Has(const std::string& key) {
  known_.insert(key);
  auto it = entries_.find(key);
  return it != entries_.end() && !it->second.IsNull();
}

bool YamlMap::Contains(const std::string& key) {
  known_.insert(key);
  return entries_.count(key) > 0;
}

std::optional<YAML::Node> YamlMap::Node(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return entries_.at(key);
}

void YamlMap::WrongType(const std::string& key, const YAML::Node& value, const char* expected) {
  doc_->Error(value, Path(key), fmt::format("expected {}, got {}", expected, Describe(value)));
}

std::optional<int64_t> YamlMap::Int(const std::string& key) {
  auto v = Node(key);
  if (!v) return std::nullopt;
  PyScalar s = v->IsScalar() ? YamlDocument::Scalar(*v) : PyScalar::None();
  if (s.type != PyScalar::Type::kInt) {
    WrongType(key, *v, "an integer");
    return std::nullopt;
  }
  return std::stoll(s.text);
}

std::optional<bool> YamlMap::Bool(const std::string& key) {
  auto v = Node(key);
  if (!v) return std::nullopt;
  PyScalar s = v->IsScalar() ? YamlDocument::Scalar(*v) : PyScalar::None();
  if (s.type != PyScalar::Type::kBool) {
    WrongType(key, *v, "true or false");
    return std::nullopt;
  }
  return s.text == "True";
}

std::optional<std::string> YamlMap::String(const std::string& key) {
  auto v = Node(key);
  if (!v) return std::nullopt;
  if (!v->IsScalar()) {
    WrongType(key, *v, "a string");
    return std::nullopt;
  }
  return v->Scalar();
}

std::optional<std::vector<std::string>> YamlMap::StringList(const std::string& key) {
  auto v = Node(key);
  if (!v) return std::nullopt;
  if (!v->IsSequence()) {
    WrongType(key, *v, "a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *v) {
    if (!item.IsScalar()) {
      doc_->Error(item, Path(key), "expected a string, got " + Describe(item));
      return std::nullopt;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::optional<std::map<std::string, std::string>> YamlMap::StringMap(const std::string& key) {
  auto v = Node(key);
  if (!v) return std::nullopt;
  if (!v->IsMap()) {
    WrongType(key, *v, "a mapping of strings");
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (const auto& kv : *v) {
    if (!kv.second.IsScalar()) {
      doc_->Error(kv.second, Path(key) + "." + kv.first.Scalar(),
                  "expected a string, got " + Describe(kv.second));
      return std::nullopt;
    }
    out[kv.first.Scalar()] = kv.second.Scalar();
  }
  return out;
}

std::optional<YamlMap> YamlMap::Map(const std::string& key) {
  auto v = Node(key);
  if (!v) return std::nullopt;
  YamlMap m(doc_, *v, Path(key));
  if (!m.ok()) return std::nullopt;
  return m;
}

void YamlMap::Finish() {
  if (!ok_) return;
  for (const auto& [key, value] : entries_) {
    if (known_.count(key) > 0) continue;
    std::string expected;
    for (const auto& k : known_)
      expected += (expected.empty() ? "" : ", ") + k;
    doc_->diags()->Error(doc_->locations().at(Path(key)), "", Path(key),
                         fmt::format("unknown key \"{}\"; expected one of: {}", key, expected));
  }
}

}  // namespace ptsim::flyte
