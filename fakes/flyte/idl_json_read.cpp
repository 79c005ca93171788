// jsonpb-style reading of the plugin messages (idl_json.hpp): what
// flytepropeller's utils.UnmarshalStruct accepts.
#include "fakes/flyte/idl_json.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

namespace ptsim::flyte {
namespace {

using nlohmann::json;

// Walks one JSON object, collecting errors under a dotted path.
class Reader {
 public:
  Reader(const json& object, std::string path, Diagnostics* diags)
      : object_(object), path_(std::move(path)), diags_(diags) {}

  // The value under the JSON name or the proto name; nullptr when absent or null.
  const json* Find(std::string_view json_name, std::string_view proto_name) const {
    for (auto name : {json_name, proto_name}) {
      auto it = object_.find(std::string(name));
      if (it != object_.end() && !it->is_null()) return &*it;
    }
    return nullptr;
  }
  std::string Path(std::string_view name) const {
    return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
  }
  void Error(std::string_view name, std::string message) const {
    diags_->Error({}, "", Path(name), std::move(message));
  }

  void Int32(std::string_view json_name, std::string_view proto_name, int32_t* out) const {
    const json* v = Find(json_name, proto_name);
    if (v == nullptr) return;
    double d = 0;
    if (v->is_number()) {
      d = v->get<double>();
    } else if (v->is_string()) {
      const auto& s = v->get_ref<const std::string&>();
      char* end = nullptr;
      d = std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size()) d = std::nan("");
    } else {
      return Error(json_name, fmt::format("expected an int32, got {}", v->dump()));
    }
    if (std::isnan(d) || d != std::floor(d) || d < std::numeric_limits<int32_t>::min() ||
        d > std::numeric_limits<int32_t>::max()) {
      return Error(json_name, fmt::format("expected an int32, got {}", v->dump()));
    }
    *out = static_cast<int32_t>(d);
  }

  void String(std::string_view json_name, std::string_view proto_name, std::string* out) const {
    const json* v = Find(json_name, proto_name);
    if (v == nullptr) return;
    if (!v->is_string())
      return Error(json_name, fmt::format("expected a string, got {}", v->dump()));
    *out = v->get<std::string>();
  }

  // An enum given by name, or by number: jsonpb takes any int32 number, a
  // name it does not know it rejects (golang/protobuf jsonpb
  // unmarshalSingularValue). The custom is a protobuf Struct, whose numbers
  // are doubles: 7.0 reads as 7.
  template <typename E, typename ByName, typename ByNumber>
  void Enum(std::string_view json_name, std::string_view proto_name, std::string_view enum_name,
            ByName by_name, ByNumber by_number, E* out) const {
    const json* v = Find(json_name, proto_name);
    if (v == nullptr) return;
    std::optional<E> e;
    if (v->is_string()) {
      e = by_name(v->get<std::string>());
      if (!e) {
        return Error(json_name, fmt::format("unknown value {} for enum {}", v->dump(), enum_name));
      }
    } else if (v->is_number()) {
      const double d = v->get<double>();
      if (d == std::floor(d) && d >= std::numeric_limits<int32_t>::min() &&
          d <= std::numeric_limits<int32_t>::max()) {
        e = by_number(static_cast<int64_t>(d));
      }
    }
    if (!e) {
      return Error(json_name, fmt::format("expected a name or an int32 number for enum {}, got {}",
                                          enum_name, v->dump()));
    }
    *out = *e;
  }

  // A sub-message: returns a Reader when present and an object.
  std::optional<Reader> Message(std::string_view json_name, std::string_view proto_name) const {
    const json* v = Find(json_name, proto_name);
    if (v == nullptr) return std::nullopt;
    if (!v->is_object()) {
      Error(json_name, fmt::format("expected an object, got {}", v->dump()));
      return std::nullopt;
    }
    return Reader(*v, Path(json_name), diags_);
  }

  const json& object() const { return object_; }
  Diagnostics* diags() const { return diags_; }

 private:
  const json& object_;
  std::string path_;
  Diagnostics* diags_;
};

std::vector<idl::ResourceEntry> ReadEntries(const Reader& r, std::string_view json_name) {
  std::vector<idl::ResourceEntry> out;
  const json* v = r.Find(json_name, json_name);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    r.Error(json_name, fmt::format("expected a list, got {}", v->dump()));
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const json& item = (*v)[i];
    std::string path = fmt::format("{}[{}]", json_name, i);
    if (!item.is_object()) {
      r.Error(path, fmt::format("expected an object, got {}", item.dump()));
      continue;
    }
    Reader entry(item, r.Path(path), r.diags());
    idl::ResourceEntry e;
    entry.Enum("name", "name", "flyteidl.core.Resources.ResourceName", idl::ResourceNameFromName,
               idl::ResourceNameFromNumber, &e.name);
    entry.String("value", "value", &e.value);
    out.push_back(e);
  }
  return out;
}

idl::Resources ReadResources(const Reader& r) {
  return {ReadEntries(r, "requests"), ReadEntries(r, "limits")};
}

template <typename Spec>
void ReadReplicaFields(const Reader& r, Spec* spec) {
  r.Int32("replicas", "replicas", &spec->replicas);
  r.String("image", "image", &spec->image);
  if (auto res = r.Message("resources", "resources")) spec->resources = ReadResources(*res);
  r.Enum("restartPolicy", "restart_policy", "flyteidl.plugins.RestartPolicy", RestartPolicyFromName,
         RestartPolicyFromNumber, &spec->restart_policy);
}

idl::DistributedPyTorchTrainingReplicaSpec ReadReplica(const Reader& r) {
  idl::DistributedPyTorchTrainingReplicaSpec spec;
  ReadReplicaFields(r, &spec);
  if (auto common = r.Message("common", "common")) {
    spec.common.emplace();
    ReadReplicaFields(*common, &*spec.common);
  }
  return spec;
}

idl::ElasticConfig ReadElastic(const Reader& r) {
  idl::ElasticConfig c;
  r.String("rdzvBackend", "rdzv_backend", &c.rdzv_backend);
  r.Int32("minReplicas", "min_replicas", &c.min_replicas);
  r.Int32("maxReplicas", "max_replicas", &c.max_replicas);
  r.Int32("nprocPerNode", "nproc_per_node", &c.nproc_per_node);
  r.Int32("maxRestarts", "max_restarts", &c.max_restarts);
  return c;
}

Diagnostics RequireObject(const json& j) {
  Diagnostics d;
  if (!j.is_object() && !j.is_null()) {
    d.Error({}, "", "", fmt::format("expected a JSON object, got {}", j.dump()));
  }
  return d;
}

const json& EmptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

}  // namespace

Result<idl::Resources> UnmarshalResources(const json& j) {
  Diagnostics d = RequireObject(j);
  if (!d.ok()) return d;
  idl::Resources out = ReadResources(Reader(j.is_null() ? EmptyObject() : j, "", &d));
  if (!d.ok()) return d;
  return out;
}

Result<idl::DistributedPyTorchTrainingTask> UnmarshalTrainingTask(const json& j) {
  Diagnostics d = RequireObject(j);
  if (!d.ok()) return d;
  Reader r(j.is_null() ? EmptyObject() : j, "", &d);
  idl::DistributedPyTorchTrainingTask task;
  if (auto w = r.Message("workerReplicas", "worker_replicas"))
    task.worker_replicas = ReadReplica(*w);
  if (auto m = r.Message("masterReplicas", "master_replicas"))
    task.master_replicas = ReadReplica(*m);
  if (auto p = r.Message("runPolicy", "run_policy")) {
    idl::RunPolicy policy;
    p->Enum("cleanPodPolicy", "clean_pod_policy", "flyteidl.plugins.kubeflow.CleanPodPolicy",
            CleanPodPolicyFromName, CleanPodPolicyFromNumber, &policy.clean_pod_policy);
    p->Int32("ttlSecondsAfterFinished", "ttl_seconds_after_finished",
             &policy.ttl_seconds_after_finished);
    p->Int32("activeDeadlineSeconds", "active_deadline_seconds", &policy.active_deadline_seconds);
    p->Int32("backoffLimit", "backoff_limit", &policy.backoff_limit);
    task.run_policy = policy;
  }
  if (auto e = r.Message("elasticConfig", "elastic_config")) task.elastic_config = ReadElastic(*e);
  if (!d.ok()) return d;
  return task;
}

Result<idl::v0::DistributedPyTorchTrainingTask> UnmarshalLegacyTrainingTask(const json& j) {
  Diagnostics d = RequireObject(j);
  if (!d.ok()) return d;
  Reader r(j.is_null() ? EmptyObject() : j, "", &d);
  idl::v0::DistributedPyTorchTrainingTask task;
  r.Int32("workers", "workers", &task.workers);
  if (auto e = r.Message("elasticConfig", "elastic_config")) task.elastic_config = ReadElastic(*e);
  if (!d.ok()) return d;
  return task;
}

}  // namespace ptsim::flyte
