#include "tools/ptsim/json_yaml.hpp"

#include "sim/model/yaml_to_json.hpp"

namespace ptsim::cli {
namespace {

using nlohmann::json;

bool PlainSafe(const std::string& s) {
  if (s.empty()) return false;
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '/' || c == '-' || c == '+' || c == '=' || c == '$' || c == '(' ||
           c == ')';
  };
  for (char c : s) {
    if (!ok_char(c)) return false;
  }
  const char first = s.front();
  if (first == '-' || first == '.' || first == '$' || first == '(') {
    // "-" starts a list item, ".5" a float; keep such strings quoted.
    if (!(first == '.' && s.size() > 1 && s[1] == '/')) return false;
  }
  // It must read back as this string.
  auto resolved = ResolvePlainScalar(s);
  return resolved && resolved->is_string() && resolved->get<std::string>() == s;
}

std::string Scalar(const json& v) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    return PlainSafe(s) ? s : json(s).dump();
  }
  return v.dump();
}

bool Inline(const json& v) {
  return !(v.is_object() || v.is_array()) || v.empty();
}

void Emit(const json& v, int indent, std::string* out);

void EmitObject(const json& v, int indent, std::string* out, bool first_inline) {
  bool first = true;
  for (const auto& [key, value] : v.items()) {
    if (!(first && first_inline)) *out += std::string(indent, ' ');
    first = false;
    *out += Scalar(json(key)) + ":";
    if (Inline(value)) {
      *out += " " +
              (value.is_object()  ? std::string("{}")
               : value.is_array() ? std::string("[]")
                                  : Scalar(value)) +
              "\n";
    } else {
      *out += "\n";
      Emit(value, value.is_array() ? indent : indent + 2, out);
    }
  }
}

void Emit(const json& v, int indent, std::string* out) {
  if (v.is_object()) {
    EmitObject(v, indent, out, false);
    return;
  }
  if (v.is_array()) {
    for (const auto& item : v) {
      *out += std::string(indent, ' ') + "- ";
      if (Inline(item)) {
        *out += (item.is_object()  ? std::string("{}")
                 : item.is_array() ? std::string("[]")
                                   : Scalar(item)) +
                "\n";
      } else if (item.is_object()) {
        EmitObject(item, indent + 2, out, true);
      } else {
        *out += "\n";
        Emit(item, indent + 2, out);
      }
    }
    return;
  }
  *out += std::string(indent, ' ') + Scalar(v) + "\n";
}

}  // namespace

std::string JsonToYaml(const json& value) {
  std::string out;
  if (Inline(value)) {
    return (value.is_object()  ? std::string("{}")
            : value.is_array() ? std::string("[]")
                               : Scalar(value)) +
           "\n";
  }
  Emit(value, 0, &out);
  return out;
}

}  // namespace ptsim::cli
