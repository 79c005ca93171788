#include "sim/harness/report_json.hpp"

#include <fmt/format.h>

#include "sim/core/utf8.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

json StateJson(const ContainerState& s) {
  if (s.running) return {{"running", {{"startedAt", ToSeconds(s.running->started_at)}}}};
  if (s.terminated) {
    const auto& t = *s.terminated;
    return {{"terminated",
             {{"exitCode", t.exit_code},
              {"signal", t.signal},
              {"reason", t.reason},
              {"message", t.message.empty() ? json() : json(t.message)},
              {"startedAt", ToSeconds(t.started_at)},
              {"finishedAt", ToSeconds(t.finished_at)}}}};
  }
  if (s.waiting) {
    return {{"waiting",
             {{"reason", s.waiting->reason},
              {"message", s.waiting->message.empty() ? json() : json(s.waiting->message)}}}};
  }
  return json(nullptr);
}

json ContainerJson(const Container& spec, const ContainerStatus* status,
                   const ContainerRecord* record) {
  json c;
  c["name"] = spec.name;
  c["image"] = spec.image;
  c["command"] = spec.command;
  c["args"] = spec.args;
  json ports = json::array();
  for (const auto& p : spec.ports)
    ports.push_back({{"name", p.name}, {"containerPort", p.container_port}});
  c["ports"] = ports;
  json env = json::array();
  for (const auto& e : spec.env) {
    json entry = {{"name", e.name}, {"value", e.value_from ? json() : json(e.value)}};
    if (e.value_from) {
      entry["valueFrom"] = e.value_from->field_path.empty()
                               ? json{{"resourceFieldRef", {{"resource", e.value_from->resource}}}}
                               : json{{"fieldRef", {{"fieldPath", e.value_from->field_path}}}};
    }
    env.push_back(entry);
  }
  c["env"] = env;
  json resolved = json::object();
  json resolved_argv = json::array();
  if (record) {
    for (const auto& [k, v] : record->resolved_env)
      resolved[k] = v;
    resolved_argv = record->resolved_argv;
  }
  c["resolvedEnv"] = record && !record->runs.empty() ? resolved : json(nullptr);
  c["resolvedCommand"] = record && !record->runs.empty() ? resolved_argv : json(nullptr);
  c["restartCount"] = status ? status->restart_count : 0;
  c["ready"] = status ? status->ready : false;
  c["started"] = status ? status->started : false;
  c["restartPolicy"] = spec.restart_policy.empty() ? json() : json(spec.restart_policy);
  c["state"] = status ? StateJson(status->state) : json(nullptr);
  c["lastState"] = status ? StateJson(status->last_state) : json(nullptr);
  json runs = json::array();
  if (record) {
    for (const auto& r : record->runs) {
      runs.push_back({{"restartCount", r.restart_count},
                      {"startedAt", ToSeconds(r.started_at)},
                      {"finishedAt", TimeJson(r.finished_at)},
                      {"exitCode", r.exit_code ? json(*r.exit_code) : json()},
                      {"signal", r.signal ? json(r.signal) : json()},
                      {"reason", r.reason.empty() ? json() : json(r.reason)},
                      {"scripted", r.scripted},
                      {"pid", r.pid ? json(r.pid) : json()},
                      {"log", r.log_path},
                      {"logRotations", r.log_rotations},
                      {"logError", r.log_error.empty() ? json() : json(r.log_error)},
                      {"terminatedByPtsim", r.terminated_by_ptsim}});
    }
  }
  c["runs"] = runs;
  // Added for `ptsim describe` (kubectl's describeContainers): resources,
  // mounts, the container ID and the pull policy (readiness is above).
  auto resource_list = [](const ResourceList& list) {
    json out = json::object();
    for (const auto& [name, q] : list)
      out[name] = q.text();
    return out;
  };
  c["resources"] = {{"limits", resource_list(spec.resources.limits)},
                    {"requests", resource_list(spec.resources.requests)}};
  json mounts = json::array();
  for (const auto& m : spec.volume_mounts) {
    mounts.push_back({{"name", m.name},
                      {"mountPath", m.mount_path},
                      {"subPath", m.sub_path.empty() ? json() : json(m.sub_path)},
                      {"readOnly", m.read_only}});
  }
  c["volumeMounts"] = mounts;
  c["imagePullPolicy"] = spec.image_pull_policy.empty() ? json() : json(spec.image_pull_policy);
  c["containerID"] = status && !status->container_id.empty() ? json(status->container_id) : json();
  return c;
}

json VolumeJson(const Volume& v) {
  switch (v.kind) {
    case Volume::Kind::kEmptyDir:
      return {{"name", v.name}, {"emptyDir", {{"medium", v.medium}}}};
    case Volume::Kind::kPersistentVolumeClaim:
      return {{"name", v.name},
              {"persistentVolumeClaim", {{"claimName", v.claim_name}, {"readOnly", v.read_only}}}};
    case Volume::Kind::kHostPath:
      return {{"name", v.name}, {"hostPath", {{"path", v.path}}}};
  }
  return {{"name", v.name}};
}

// The pod fields `ptsim describe` shows beyond the original report (kubectl's
// describePod): metadata, spec and status fields, added under their
// Kubernetes names.
void AddDescribeFields(const Pod& pod, json* p) {
  (*p)["annotations"] = pod.metadata.annotations;
  json owners = json::array();
  for (const auto& o : pod.metadata.owner_references) {
    owners.push_back({{"apiVersion", o.api_version},
                      {"kind", o.kind},
                      {"name", o.name},
                      {"uid", o.uid},
                      {"controller", o.controller}});
  }
  (*p)["ownerReferences"] = owners;
  (*p)["hostIP"] = pod.status.host_ip.empty() ? json() : json(pod.status.host_ip);
  (*p)["startTime"] = TimeJson(pod.status.start_time);
  (*p)["message"] = pod.status.message.empty() ? json() : json(pod.status.message);
  (*p)["nodeSelector"] = pod.spec.node_selector;
  json tolerations = json::array();
  for (const auto& t : pod.spec.tolerations) {
    tolerations.push_back(
        {{"key", t.key},
         {"operator", t.op.empty() ? "Equal" : t.op},
         {"value", t.value},
         {"effect", t.effect},
         {"tolerationSeconds", t.toleration_seconds ? json(*t.toleration_seconds) : json()}});
  }
  (*p)["tolerations"] = tolerations;
  json volumes = json::array();
  for (const auto& v : pod.spec.volumes)
    volumes.push_back(VolumeJson(v));
  (*p)["volumes"] = volumes;
  (*p)["priorityClassName"] =
      pod.spec.priority_class_name.empty() ? json() : json(pod.spec.priority_class_name);
  (*p)["terminationGracePeriodSeconds"] = pod.spec.GracePeriodSeconds();
  (*p)["deletionGracePeriodSeconds"] = pod.metadata.deletion_grace_period_seconds
                                           ? json(*pod.metadata.deletion_grace_period_seconds)
                                           : json();
}

}  // namespace

json TimeJson(const std::optional<Time>& t) {
  return t ? json(ToSeconds(*t)) : json(nullptr);
}

json PodJson(const PodRecord& record) {
  const Pod& pod = *record.pod;
  json p;
  p["name"] = pod.metadata.name;
  p["namespace"] = pod.metadata.namespace_;
  p["uid"] = pod.metadata.uid;
  auto label = [&](const char* key) -> json {
    auto it = pod.metadata.labels.find(key);
    return it == pod.metadata.labels.end() ? json() : json(it->second);
  };
  json type = label("training.kubeflow.org/replica-type");
  if (type.is_string()) {
    std::string t = type.get<std::string>();
    if (!t.empty()) t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
    type = t;
  }
  p["replicaType"] = type;
  json index = label("training.kubeflow.org/replica-index");
  p["replicaIndex"] = index.is_string() ? json(std::stoi(index.get<std::string>())) : json();
  p["node"] = pod.spec.node_name.empty() ? json() : json(pod.spec.node_name);
  p["labels"] = pod.metadata.labels;
  p["restartPolicy"] = pod.spec.restart_policy;
  p["createdAt"] = ToSeconds(pod.metadata.creation_timestamp);
  p["deletedAt"] = TimeJson(record.deleted_at);
  p["deletionRequestedAt"] = TimeJson(
      pod.metadata.deletion_timestamp
          ? std::optional<Time>(
                *pod.metadata.deletion_timestamp -
                std::chrono::seconds(pod.metadata.deletion_grace_period_seconds.value_or(0)))
          : std::nullopt);
  p["phase"] = pod.status.phase;
  p["reason"] = pod.status.reason.empty() ? json() : json(pod.status.reason);
  p["podIP"] = pod.status.pod_ip.empty() ? json() : json(pod.status.pod_ip);
  auto containers = [&](const std::vector<Container>& specs, bool init) {
    json list = json::array();
    for (const auto& spec : specs) {
      const ContainerStatus* status = nullptr;
      for (const auto& s :
           init ? pod.status.init_container_statuses : pod.status.container_statuses) {
        if (s.name == spec.name) status = &s;
      }
      const ContainerRecord* rec = nullptr;
      for (const auto& r : record.containers) {
        if (r.name == spec.name) rec = &r;
      }
      list.push_back(ContainerJson(spec, status, rec));
    }
    return list;
  };
  p["initContainers"] = containers(pod.spec.init_containers, true);
  p["containers"] = containers(pod.spec.containers, false);
  json conditions = json::array();
  for (const auto& c : pod.status.conditions) {
    conditions.push_back({{"type", c.type},
                          {"status", c.status},
                          {"reason", c.reason.empty() ? json() : json(c.reason)},
                          {"message", c.message.empty() ? json() : json(c.message)},
                          {"lastTransitionTime", ToSeconds(c.last_transition_time)}});
  }
  p["conditions"] = conditions;
  AddDescribeFields(pod, &p);
  return p;
}

json ServiceJson(const ServiceRecord& record) {
  const Service& s = *record.service;
  json ports = json::array();
  for (const auto& p : s.spec.ports)
    ports.push_back({{"name", p.name}, {"port", p.port}});
  return {{"name", s.metadata.name},
          {"namespace", s.metadata.namespace_},
          {"clusterIP", s.spec.cluster_ip},
          {"selector", s.spec.selector},
          {"ports", ports},
          {"createdAt", ToSeconds(s.metadata.creation_timestamp)},
          {"deletedAt", TimeJson(record.deleted_at)}};
}

json EventsJson(const std::vector<Event>& events) {
  json out = json::array();
  for (const auto& e : events) {
    out.push_back(
        {{"time", ToSeconds(e.first_timestamp)},
         {"type", e.type},
         {"reason", e.reason},
         {"object", fmt::format("{}/{}", e.involved_object.kind, e.involved_object.name)},
         {"message", e.message},
         {"count", e.count},
         {"lastTime", ToSeconds(e.last_timestamp)},
         {"source", e.source},
         {"fieldPath",
          e.involved_object.field_path.empty() ? json() : json(e.involved_object.field_path)},
         // The whole reference: a recreated pod's events are told apart by uid.
         {"involvedObject",
          {{"kind", e.involved_object.kind},
           {"namespace", e.involved_object.namespace_},
           {"name", e.involved_object.name},
           {"uid", e.involved_object.uid}}}});
  }
  return out;
}

json NodesJson(const std::vector<std::shared_ptr<const Node>>& nodes) {
  json out = json::array();
  for (const auto& n : nodes) {
    auto resources = [](const ResourceList& list) {
      json r = json::object();
      for (const auto& [name, q] : list)
        r[name] = q.text();
      return r;
    };
    json taints = json::array();
    for (const auto& t : n->spec.taints) {
      taints.push_back({{"key", t.key},
                        {"value", t.value.empty() ? json() : json(t.value)},
                        {"effect", t.effect},
                        {"timeAdded", ToSeconds(t.time_added)}});
    }
    json conditions = json::array();
    for (const auto& c : n->status.conditions) {
      conditions.push_back({{"type", c.type},
                            {"status", c.status},
                            {"reason", c.reason.empty() ? json() : json(c.reason)},
                            {"message", c.message.empty() ? json() : json(c.message)},
                            {"lastHeartbeatTime", ToSeconds(c.last_heartbeat_time)},
                            {"lastTransitionTime", ToSeconds(c.last_transition_time)}});
    }
    out.push_back(
        {{"name", n->metadata.name},
         {"uid", n->metadata.uid},
         {"labels", n->metadata.labels},
         {"annotations", n->metadata.annotations},
         {"createdAt", ToSeconds(n->metadata.creation_timestamp)},
         {"unschedulable", n->spec.unschedulable},
         {"taints", taints},
         {"conditions", conditions},
         {"addresses", json::array({{{"type", "InternalIP"}, {"address", n->status.internal_ip}}})},
         {"capacity", resources(n->status.capacity)},
         {"allocatable", resources(n->status.allocatable)}});
  }
  return out;
}

json JobConditionJson(const JobCondition& c) {
  return {{"type", c.type},
          {"status", c.status},
          {"reason", c.reason},
          {"message", c.message},
          {"lastTransitionTime", ToSeconds(c.last_transition_time)}};
}

json JobJson(const JobRecord& record, const json& spec_as_submitted) {
  const JobKind& kind = *record.kind;
  const ObjectMeta& m = record.job.metadata();
  json history = json::array();
  for (const auto& h : record.history) {
    json entry = JobConditionJson(h.condition);
    entry["time"] = ToSeconds(h.time);
    history.push_back(entry);
  }
  return {// The object as the API server holds it (docs/report.md).
          {"apiVersion", kind.api_version()},
          {"kind", kind.kind()},
          {"metadata",
           {{"name", m.name},
            {"namespace", m.namespace_},
            {"uid", m.uid},
            {"labels", m.labels},
            {"annotations", m.annotations},
            {"creationTimestamp", ToSeconds(m.creation_timestamp)}}},
          {"spec", spec_as_submitted},
          {"status", kind.StatusJson(record.job)},
          {"conditionHistory", history},
          // The first fields of the report, kept as they were.
          {"name", m.name},
          {"namespace", m.namespace_},
          {"uid", m.uid},
          {"createdAt", ToSeconds(m.creation_timestamp)},
          {"deletedAt", TimeJson(record.deleted_at)},
          // Added for `ptsim describe pytorchjob/NAME`.
          {"labels", m.labels},
          {"annotations", m.annotations}};
}

json NotesJson(const std::vector<Note>& notes) {
  json out = json::array();
  for (const auto& n : notes) {
    out.push_back({{"time", ToSeconds(n.time)},
                   {"text", n.text},
                   {"ref", n.ref.empty() ? json() : json(n.ref)}});
  }
  return out;
}

void ReplaceInvalidUtf8(nlohmann::json* value) {
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    if (FindInvalidUtf8(text)) *value = ptsim::ReplaceInvalidUtf8(text);
    return;
  }
  if (value->is_array()) {
    for (auto& item : *value)
      ReplaceInvalidUtf8(&item);
    return;
  }
  if (!value->is_object()) return;
  bool bad_key = false;
  for (auto it = value->begin(); it != value->end(); ++it) {
    bad_key = bad_key || FindInvalidUtf8(it.key()).has_value();
    ReplaceInvalidUtf8(&it.value());
  }
  if (!bad_key) return;
  json fixed = json::object();
  for (auto it = value->begin(); it != value->end(); ++it)
    fixed[ptsim::ReplaceInvalidUtf8(it.key())] = std::move(it.value());
  *value = std::move(fixed);
}

}  // namespace ptsim
