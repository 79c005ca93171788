#include "fakes/flyte/json_fields.hpp"

#include <cmath>

#include <fmt/format.h>

namespace ptsim::flyte {

using nlohmann::json;

JsonFields::JsonFields(const json& object, std::string path, Diagnostics* diags)
    : object_(object), path_(std::move(path)), diags_(diags) {
  if (!object_.is_object() && !object_.is_null()) {
    diags_->Error({}, "", path_, fmt::format("expected an object, got {}", object_.dump()));
    ok_ = false;
  }
}

std::string JsonFields::Path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

const json* JsonFields::Take(const std::string& key) {
  seen_.insert(key);
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

void JsonFields::WrongType(const std::string& key, const char* expected, const json& got) {
  diags_->Error({}, "", Path(key), fmt::format("expected {}, got {}", expected, got.dump()));
}

void JsonFields::String(const std::string& key, std::string* out) {
  const json* v = Take(key);
  if (v == nullptr) return;
  if (!v->is_string()) return WrongType(key, "a string", *v);
  *out = v->get<std::string>();
}

void JsonFields::Bool(const std::string& key, bool* out) {
  const json* v = Take(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) return WrongType(key, "true or false", *v);
  *out = v->get<bool>();
}

void JsonFields::Int(const std::string& key, int64_t* out) {
  const json* v = Take(key);
  if (v == nullptr) return;
  if (v->is_number_integer()) {
    *out = v->get<int64_t>();
  } else if (v->is_number_float() && v->get<double>() == std::floor(v->get<double>())) {
    *out = static_cast<int64_t>(v->get<double>());
  } else {
    WrongType(key, "an integer", *v);
  }
}

void JsonFields::Number(const std::string& key, double* out) {
  const json* v = Take(key);
  if (v == nullptr) return;
  if (!v->is_number()) return WrongType(key, "a number", *v);
  *out = v->get<double>();
}

void JsonFields::StringList(const std::string& key, std::vector<std::string>* out) {
  const json* v = Take(key);
  if (v == nullptr) return;
  if (!v->is_array()) return WrongType(key, "a list of strings", *v);
  out->clear();
  for (const auto& item : *v) {
    if (!item.is_string()) return WrongType(key, "a list of strings", *v);
    out->push_back(item.get<std::string>());
  }
}

void JsonFields::StringMap(const std::string& key, std::map<std::string, std::string>* out) {
  const json* v = Take(key);
  if (v == nullptr) return;
  if (!v->is_object()) return WrongType(key, "a map of strings", *v);
  out->clear();
  for (const auto& [k, item] : v->items()) {
    if (!item.is_string()) {
      diags_->Error({}, "", Path(key) + "." + k,
                    fmt::format("expected a string, got {}", item.dump()));
      continue;
    }
    (*out)[k] = item.get<std::string>();
  }
}

void JsonFields::Raw(const std::string& key, std::optional<json>* out) {
  const json* v = Take(key);
  if (v != nullptr) *out = *v;
}

std::optional<JsonFields> JsonFields::Object(const std::string& key) {
  const json* v = Take(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    WrongType(key, "an object", *v);
    return std::nullopt;
  }
  return JsonFields(*v, Path(key), diags_);
}

void JsonFields::Finish() {
  if (!object_.is_object()) return;
  for (const auto& [key, value] : object_.items()) {
    if (seen_.count(key) > 0) continue;
    std::string known;
    for (const auto& k : seen_)
      known += (known.empty() ? "" : ", ") + k;
    diags_->Error({}, "", Path(key), fmt::format("unknown key; expected one of: {}", known));
  }
}

}  // namespace ptsim::flyte
