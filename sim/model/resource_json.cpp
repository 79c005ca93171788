#include "sim/model/resource_json.hpp"

#include <fmt/format.h>

namespace ptsim {
namespace {

using nlohmann::json;

json ListToJson(const std::map<std::string, Quantity>& list) {
  json out = json::object();
  for (const auto& [name, q] : list)
    out[name] = q.String();
  return out;
}

Result<std::map<std::string, Quantity>> ListFromJson(const json& j, const std::string& field) {
  Diagnostics d;
  std::map<std::string, Quantity> out;
  if (j.is_null()) return out;
  if (!j.is_object()) {
    d.Error({}, "", field, fmt::format("expected a map of resource quantities, got {}", j.dump()));
    return d;
  }
  for (const auto& [name, value] : j.items()) {
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_number()) {
      text = value.dump();
    } else {
      d.Error({}, "", field + "." + name, fmt::format("expected a quantity, got {}", value.dump()));
      continue;
    }
    auto q = Quantity::Parse(text);
    if (!q.ok()) {
      d.Error({}, "", field + "." + name, q.diagnostics().items().front().message);
      continue;
    }
    out[name] = q.value();
  }
  if (!d.ok()) return d;
  return out;
}

}  // namespace

json ResourceRequirementsToJson(const ResourceRequirements& resources) {
  json out = json::object();
  if (!resources.limits.empty()) out["limits"] = ListToJson(resources.limits);
  if (!resources.requests.empty()) out["requests"] = ListToJson(resources.requests);
  return out;
}

Result<ResourceRequirements> ResourceRequirementsFromJson(const json& j, const std::string& field) {
  Diagnostics d;
  ResourceRequirements out;
  if (j.is_null()) return out;
  if (!j.is_object()) {
    d.Error({}, "", field, fmt::format("expected {{requests, limits}}, got {}", j.dump()));
    return d;
  }
  for (const auto& [key, value] : j.items()) {
    if (key != "requests" && key != "limits") {
      d.Error({}, "", field + "." + key, "unknown key; expected requests or limits");
      continue;
    }
    auto list = ListFromJson(value, field + "." + key);
    if (!list.ok()) {
      d.Append(list.diagnostics());
      continue;
    }
    (key == "requests" ? out.requests : out.limits) = list.value();
  }
  if (!d.ok()) return d;
  return out;
}

}  // namespace ptsim
