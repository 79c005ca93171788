#include "fakes/flyte/template_shape.hpp"

#include <fmt/format.h>

namespace ptsim::flyte {
namespace {

using nlohmann::json;

const char* TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "a list";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number";
    default:
      return "a value";
  }
}

class Checker {
 public:
  std::vector<TemplateShapeError> errors;

  // Each returns whether `v` has the type, recording an error when not.
  bool Object(const json& v, const std::string& field, const char* proto) {
    return Want(v.is_object(), v, field, "an object", proto);
  }
  bool String(const json& v, const std::string& field, const char* proto) {
    return Want(v.is_string(), v, field, "a string", proto);
  }
  bool StringList(const json& v, const std::string& field, const char* proto) {
    if (!Want(v.is_array(), v, field, "a list of strings", proto)) return false;
    bool ok = true;
    for (std::size_t i = 0; i < v.size(); ++i)
      ok = String(v[i], fmt::format("{}[{}]", field, i), proto) && ok;
    return ok;
  }
  // A protobuf integer: a JSON number, or a string of digits with an optional '-'.
  bool Integer(const json& v, const std::string& field, const char* proto) {
    bool digits = false;
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      const std::size_t first = !s.empty() && s[0] == '-' ? 1 : 0;
      digits = s.size() > first && s.find_first_not_of("0123456789", first) == std::string::npos;
    }
    return Want(v.is_number_integer() || digits, v, field, "an integer", proto);
  }
  // repeated KeyValuePair {key, value}.
  void KeyValues(const json& v, const std::string& field, const char* proto) {
    if (!Want(v.is_array(), v, field, "a list of {key, value}", proto)) return;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string item = fmt::format("{}[{}]", field, i);
      if (!Object(v[i], item, proto)) continue;
      if (v[i].contains("key")) String(v[i]["key"], item + ".key", proto);
      if (v[i].contains("value")) String(v[i]["value"], item + ".value", proto);
    }
  }
  // core.K8sObjectMetadata {labels, annotations}: two map<string, string>.
  void K8sObjectMetadata(const json& v, const std::string& field) {
    if (!Object(v, field, "core.K8sObjectMetadata")) return;
    for (const char* map : {"labels", "annotations"}) {
      if (!v.contains(map)) continue;
      const std::string mf = field + "." + map;
      if (!Want(v[map].is_object(), v[map], mf, "a map of strings", "core.K8sObjectMetadata"))
        continue;
      for (const auto& [k, value] : v[map].items())
        String(value, mf + "." + k, "core.K8sObjectMetadata");
    }
  }
  // Resources {requests, limits}: repeated ResourceEntry {name, value}.
  void Resources(const json& v, const std::string& field) {
    if (!Object(v, field, "core.Resources")) return;
    for (const char* list : {"requests", "limits"}) {
      if (!v.contains(list)) continue;
      const std::string lf = field + "." + list;
      if (!Want(v[list].is_array(), v[list], lf, "a list of {name, value}", "core.Resources"))
        continue;
      for (std::size_t i = 0; i < v[list].size(); ++i) {
        const json& e = v[list][i];
        const std::string item = fmt::format("{}[{}]", lf, i);
        if (!Object(e, item, "core.Resources.ResourceEntry")) continue;
        // The name is an enum: its name (CPU, GPU, MEMORY, ...) or its number.
        if (e.contains("name")) {
          Want(e["name"].is_string() || e["name"].is_number_integer(), e["name"], item + ".name",
               "a resource name such as \"CPU\"", "core.Resources.ResourceEntry");
        }
        if (e.contains("value"))
          String(e["value"], item + ".value", "core.Resources.ResourceEntry");
      }
    }
  }

 private:
  bool Want(bool ok, const json& v, const std::string& field, const char* want, const char* proto) {
    if (!ok) {
      errors.push_back(
          {field, fmt::format("expected {} ({}), got {}: {}", want, proto, TypeName(v), v.dump())});
    }
    return ok;
  }
};

}  // namespace

std::vector<TemplateShapeError> CheckTemplateShape(const json& tmpl) {
  Checker c;
  if (!tmpl.is_object()) return c.errors;
  if (tmpl.contains("type")) c.String(tmpl["type"], "type", "core.TaskTemplate");
  if (tmpl.contains("taskTypeVersion")) {
    c.Integer(tmpl["taskTypeVersion"], "taskTypeVersion", "core.TaskTemplate");
  }
  if (tmpl.contains("metadata") && c.Object(tmpl["metadata"], "metadata", "core.TaskMetadata")) {
    // TaskMetadata.metadata: @task(labels=..., annotations=...).
    if (tmpl["metadata"].contains("metadata")) {
      c.K8sObjectMetadata(tmpl["metadata"]["metadata"], "metadata.metadata");
    }
  }
  if (tmpl.contains("custom")) c.Object(tmpl["custom"], "custom", "google.protobuf.Struct");
  if (tmpl.contains("config") && c.Object(tmpl["config"], "config", "map<string, string>")) {
    for (const auto& [k, v] : tmpl["config"].items())
      c.String(v, "config." + k, "map<string, string>");
  }
  if (tmpl.contains("container") && c.Object(tmpl["container"], "container", "core.Container")) {
    const json& k = tmpl["container"];
    if (k.contains("image")) c.String(k["image"], "container.image", "core.Container");
    if (k.contains("command")) c.StringList(k["command"], "container.command", "core.Container");
    if (k.contains("args")) c.StringList(k["args"], "container.args", "core.Container");
    if (k.contains("env")) c.KeyValues(k["env"], "container.env", "core.Container");
    if (k.contains("config")) c.KeyValues(k["config"], "container.config", "core.Container");
    if (k.contains("resources")) c.Resources(k["resources"], "container.resources");
  }
  if (tmpl.contains("k8sPod") && c.Object(tmpl["k8sPod"], "k8sPod", "core.K8sPod")) {
    const json& p = tmpl["k8sPod"];
    if (p.contains("podSpec")) c.Object(p["podSpec"], "k8sPod.podSpec", "core.K8sPod");
    if (p.contains("metadata")) c.K8sObjectMetadata(p["metadata"], "k8sPod.metadata");
    if (p.contains("primaryContainerName")) {
      c.String(p["primaryContainerName"], "k8sPod.primaryContainerName", "core.K8sPod");
    }
  }
  return c.errors;
}

}  // namespace ptsim::flyte
