#include "fakes/trainer/runtime_patch.hpp"

#include <yaml-cpp/yaml.h>

#include "sim/core/diagnostics.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {
namespace {

void MergeStringMap(const nlohmann::json& from, std::map<std::string, std::string>* into) {
  if (!from.is_object()) return;
  for (const auto& [k, v] : from.items()) {
    if (v.is_null()) {
      into->erase(k);  // a strategic merge patch deletes a key set to null
    } else if (v.is_string()) {
      (*into)[k] = v.get<std::string>();
    }
  }
}

void MergeMetadata(const nlohmann::json& md, Labels* labels,
                   std::map<std::string, std::string>* annotations) {
  if (!md.is_object()) return;
  if (md.contains("labels")) MergeStringMap(md["labels"], labels);
  if (md.contains("annotations")) MergeStringMap(md["annotations"], annotations);
}

template <typename T, typename Key>
void MergeByKey(const std::vector<T>& patch, std::vector<T>* into, Key key) {
  for (const T& p : patch) {
    bool found = false;
    for (T& existing : *into) {
      if (key(existing) == key(p)) {
        existing = p;
        found = true;
        break;
      }
    }
    if (!found) into->push_back(p);
  }
}

void MergeContainers(const nlohmann::json& list, const std::vector<Container>& decoded,
                     std::vector<Container>* into) {
  for (std::size_t i = 0; i < decoded.size() && i < list.size(); ++i) {
    const Container& p = decoded[i];
    for (Container& c : *into) {
      if (c.name != p.name) continue;
      if (list[i].contains("env")) {
        MergeByKey(p.env, &c.env, [](const EnvVar& e) { return e.name; });
      }
      if (list[i].contains("volumeMounts")) {
        MergeByKey(p.volume_mounts, &c.volume_mounts,
                   [](const VolumeMount& m) { return m.mount_path; });
      }
    }
  }
}

void MergePodSpec(const nlohmann::json& spec_json, PodSpec* into) {
  if (!spec_json.is_object()) return;
  // Decoded with the pod codec; the patch was checked when its TrainJob was
  // loaded, so diagnostics here are dropped.
  Diagnostics ignored;
  DecodeContext ctx("runtimePatches", &ignored);
  YAML::Node node = YAML::Load(spec_json.dump());
  PodSpec patch;
  {
    MapReader m(ctx, node, "spec");
    DecodePodSpec(m, &patch);
  }
  if (spec_json.contains("nodeSelector"))
    MergeStringMap(spec_json["nodeSelector"], &into->node_selector);
  if (spec_json.contains("tolerations")) into->tolerations = patch.tolerations;
  if (spec_json.contains("volumes")) {
    MergeByKey(patch.volumes, &into->volumes, [](const Volume& v) { return v.name; });
  }
  if (spec_json.contains("terminationGracePeriodSeconds")) {
    into->termination_grace_period_seconds = patch.termination_grace_period_seconds;
  }
  if (spec_json.contains("containers")) {
    MergeContainers(spec_json["containers"], patch.containers, &into->containers);
  }
  if (spec_json.contains("initContainers")) {
    MergeContainers(spec_json["initContainers"], patch.init_containers, &into->init_containers);
  }
}

}  // namespace

void ApplyRuntimePatch(const RuntimePatch& patch, Labels* labels,
                       std::map<std::string, std::string>* annotations, JobSetSpec* spec) {
  const nlohmann::json& trs = patch.training_runtime_spec;
  if (!trs.is_object() || !trs.contains("template")) return;
  const nlohmann::json& tmpl = trs["template"];
  if (tmpl.contains("metadata")) MergeMetadata(tmpl["metadata"], labels, annotations);
  if (!tmpl.contains("spec") || !tmpl["spec"].contains("replicatedJobs")) return;
  for (const nlohmann::json& rj : tmpl["spec"]["replicatedJobs"]) {
    if (!rj.is_object() || !rj.contains("name") || !rj["name"].is_string()) continue;
    const std::string name = rj["name"].get<std::string>();
    for (ReplicatedJob& rjob : spec->replicated_jobs) {
      if (rjob.name != name) continue;
      if (!rj.contains("template")) break;
      const nlohmann::json& jt = rj["template"];
      if (jt.contains("metadata")) {
        MergeMetadata(jt["metadata"], &rjob.template_.metadata.labels,
                      &rjob.template_.metadata.annotations);
      }
      if (!jt.contains("spec") || !jt["spec"].contains("template")) break;
      const nlohmann::json& pt = jt["spec"]["template"];
      PodTemplateSpec& pod = rjob.template_.spec.template_;
      if (pt.contains("metadata")) {
        MergeMetadata(pt["metadata"], &pod.metadata.labels, &pod.metadata.annotations);
      }
      if (pt.contains("spec")) MergePodSpec(pt["spec"], &pod.spec);
      break;
    }
  }
}

}  // namespace ptsim
