#include "sim/model/trainjob_codec.hpp"

#include <fmt/format.h>

#include "sim/core/go_quote.hpp"
#include "sim/model/jobset_codec.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim {
namespace {

void OptString(MapReader& m, std::string_view key, std::optional<std::string>* out) {
  if (!m.Has(key)) {
    m.Get(key);
    return;
  }
  std::string value;
  m.String(key, &value);
  *out = value;
}

void MaxItems(MapReader& m, std::string_view key, std::size_t size, std::size_t max) {
  if (size > max) {
    m.ctx().Error(m.Get(key), m.FieldPath(key),
                  fmt::format("Too many: {}: must have at most {} items", size, max));
  }
}

void OptStringList(MapReader& m, std::string_view key,
                   std::optional<std::vector<std::string>>* out) {
  if (!m.Has(key)) return;
  std::vector<std::string> list;
  m.StringList(key, &list);
  MaxItems(m, key, list.size(), 128);
  *out = std::move(list);
}

void DecodeApiHeader(MapReader& m, const char* api_version, const char* kind) {
  DecodeContext& ctx = m.ctx();
  for (const auto& [key, want] :
       {std::pair<const char*, const char*>{"apiVersion", api_version}, {"kind", kind}}) {
    std::string value;
    m.String(key, &value);
    if (!m.Has(key)) {
      ctx.Error(m.node(), key, fmt::format("Required value: add {}: {}", key, want));
    } else if (value != want) {
      ctx.Error(m.Get(key), key,
                fmt::format("Unsupported value: {}: supported values: {}", GoQuote(value),
                            GoQuote(want)));
    }
  }
}

void DecodeMetadata(MapReader& m, ObjectMeta* out) {
  m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, out); });
  if (out->name.empty()) {
    m.ctx().Error(m.Has("metadata") ? m.node()["metadata"] : m.node(), "metadata.name",
                  "Required value: name is required");
  }
}

void DecodeInitializerSpec(MapReader& m, InitializerSpec* out) {
  OptString(m, "storageUri", &out->storage_uri);
  m.List<EnvVar>("env", &out->env, DecodeEnvVar);
  m.Nested("secretRef", [&](MapReader& s) {
    std::string name;
    s.String("name", &name);
    out->secret_ref = name;
  });
}

void DecodeTrainer(MapReader& m, Trainer* out) {
  OptString(m, "image", &out->image);
  OptStringList(m, "command", &out->command);
  OptStringList(m, "args", &out->args);
  m.List<EnvVar>("env", &out->env, DecodeEnvVar);
  m.OptInt32("numNodes", &out->num_nodes);
  m.Nested("resourcesPerNode", [&](MapReader& r) {
    ResourceRequirements res;
    r.Quantities("limits", &res.limits);
    r.Quantities("requests", &res.requests);
    r.Unsupported("claims", "resourcesPerNode.claims");
    out->resources_per_node = res;
  });
  YAML::Node nproc = m.Get("numProcPerNode");
  if (!IsAbsent(nproc)) {
    std::int64_t n = 0;
    if (IsQuoted(nproc) || !nproc.IsScalar()) {
      std::string s;
      if (ReadString(m.ctx(), nproc, m.FieldPath("numProcPerNode"), &s)) out->num_proc_per_node = s;
    } else if (ReadInt64(m.ctx(), nproc, m.FieldPath("numProcPerNode"), &n)) {
      out->num_proc_per_node = n;
    }
  }
}

// The pod template part a runtime patch may carry (RuntimePatch's
// PodSpecPatch): checked strictly, applied later from its JSON.
void CheckPatchContainer(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                         Container* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name, true);
  m.List<EnvVar>("env", &out->env, DecodeEnvVar);
  m.Accept({"volumeMounts", "securityContext"});
}

void CheckPatchPodSpec(MapReader& m) {
  std::vector<Container> ignored;
  m.List<Container>("containers", &ignored, CheckPatchContainer);
  m.List<Container>("initContainers", &ignored, CheckPatchContainer);
  std::map<std::string, std::string> selector;
  m.StringMap("nodeSelector", &selector);
  std::int64_t grace = 0;
  m.Int64("terminationGracePeriodSeconds", &grace);
  m.Accept({"serviceAccountName", "volumes", "imagePullSecrets", "securityContext", "affinity",
            "tolerations", "schedulingGates"});
}

void CheckPatchMetadata(MapReader& m) {
  m.Nested("metadata", [&](MapReader& md) {
    std::map<std::string, std::string> ignored;
    md.StringMap("labels", &ignored);
    md.StringMap("annotations", &ignored);
  });
}

void CheckPatchReplicatedJob(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                             ReplicatedJob* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name, true);
  m.Nested("template", [&](MapReader& jt) {
    CheckPatchMetadata(jt);
    jt.Nested("spec", [&](MapReader& js) {
      js.Nested("template", [&](MapReader& pt) {
        CheckPatchMetadata(pt);
        pt.Nested("spec", CheckPatchPodSpec);
      });
    });
  });
}

void DecodeRuntimePatch(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                        RuntimePatch* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("manager", &out->manager, true);
  m.Accept("time");  // set by the mutating webhook in virtual time
  YAML::Node trs = m.Get("trainingRuntimeSpec");
  m.Nested("trainingRuntimeSpec", [&](MapReader& t) {
    t.Nested("template", [&](MapReader& tmpl) {
      CheckPatchMetadata(tmpl);
      tmpl.Nested("spec", [&](MapReader& s) {
        std::vector<ReplicatedJob> ignored;
        s.List<ReplicatedJob>("replicatedJobs", &ignored, CheckPatchReplicatedJob);
      });
    });
  });
  if (!IsAbsent(trs)) out->training_runtime_spec = YamlToJson(trs).value_or(nlohmann::json());
}

void DecodeEnvInjectionTarget(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                              TorchEnvInjectionTarget* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("jobName", &out->job_name, true);
  m.StringList("containerNames", &out->container_names);
  MaxItems(m, "containerNames", out->container_names.size(), 8);
  if (out->container_names.empty()) {
    ctx.Error(node, m.FieldPath("containerNames"), "Invalid value: 0: must have at least 1 items");
  }
}

template <typename T>
Result<T> DecodeDocument(const YAML::Node& document, const std::string& file,
                         void (*decode)(MapReader&, T*)) {
  Diagnostics diagnostics;
  DecodeContext ctx(file, &diagnostics);
  std::string name;
  if (document.IsMap() && document["metadata"].IsMap() && document["metadata"]["name"].IsScalar())
    name = document["metadata"]["name"].Scalar();
  ctx.set_object(name.empty() ? std::string(T::kKind)
                              : fmt::format("{} {}", T::kKind, GoQuote(name)));
  T value;
  {
    MapReader m(ctx, document, "");
    if (m.ok()) decode(m, &value);
  }
  if (!diagnostics.ok()) return diagnostics;
  return Result<T>(std::move(value), std::move(diagnostics));
}

}  // namespace

void DecodeTrainJobSpec(MapReader& m, TrainJobSpec* out) {
  if (!m.Has("runtimeRef")) m.ctx().Error(m.node(), m.FieldPath("runtimeRef"), "Required value");
  m.Nested("runtimeRef", [&](MapReader& r) {
    r.String("name", &out->runtime_ref.name, true);
    OptString(r, "apiGroup", &out->runtime_ref.api_group);
    OptString(r, "kind", &out->runtime_ref.kind);
  });
  m.Nested("initializer", [&](MapReader& i) {
    Initializer init;
    i.Nested("dataset", [&](MapReader& d) {
      init.dataset = InitializerSpec{};
      DecodeInitializerSpec(d, &*init.dataset);
    });
    i.Nested("model", [&](MapReader& d) {
      init.model = InitializerSpec{};
      DecodeInitializerSpec(d, &*init.model);
    });
    out->initializer = init;
  });
  m.Nested("trainer", [&](MapReader& t) {
    out->trainer = Trainer{};
    DecodeTrainer(t, &*out->trainer);
  });
  m.List<RuntimePatch>("runtimePatches", &out->runtime_patches, DecodeRuntimePatch);
  MaxItems(m, "runtimePatches", out->runtime_patches.size(), 16);
  m.OptBool("suspend", &out->suspend);
  m.OptInt64("activeDeadlineSeconds", &out->active_deadline_seconds);
  if (out->active_deadline_seconds && *out->active_deadline_seconds < 1) {
    m.ctx().Error(m.Get("activeDeadlineSeconds"), m.FieldPath("activeDeadlineSeconds"),
                  fmt::format("Invalid value: {}: should be greater than or equal to 1",
                              *out->active_deadline_seconds));
  }
  OptString(m, "managedBy", &out->managed_by);
  m.Unsupported("podGroupPolicy", "podGroupPolicy");
}

void DecodeTrainJob(MapReader& m, TrainJob* out) {
  DecodeApiHeader(m, TrainJob::kApiVersion, TrainJob::kKind);
  DecodeMetadata(m, &out->metadata);
  if (!m.Has("spec")) m.ctx().Error(m.node(), "spec", "Required value");
  m.Nested("spec", [&](MapReader& s) { DecodeTrainJobSpec(s, &out->spec); });
  m.Accept("status");
}

void DecodeTrainingRuntimeSpec(MapReader& m, TrainingRuntimeSpec* out) {
  m.Nested("mlPolicy", [&](MapReader& p) {
    MLPolicy policy;
    p.OptInt32("numNodes", &policy.num_nodes);
    p.Nested("torch", [&](MapReader& t) {
      policy.torch = TorchMLPolicySource{};
      t.Nested("envInjection", [&](MapReader& e) {
        e.List<TorchEnvInjectionTarget>("targets", &policy.torch->env_injection_targets,
                                        DecodeEnvInjectionTarget);
      });
    });
    for (const char* other : {"mpi", "jax", "xgboost", "flux"}) {
      if (!p.Has(other)) continue;
      p.Accept(other);
      policy.other_policy = other;
    }
    out->ml_policy = policy;
  });
  m.Nested("podGroupPolicy", [&](MapReader& g) {
    PodGroupPolicy policy;
    g.Nested("coscheduling", [&](MapReader& c) {
      std::int32_t timeout = 60;
      c.Int32("scheduleTimeoutSeconds", &timeout);
      policy.coscheduling_schedule_timeout_seconds = timeout;
    });
    if (g.Has("volcano")) policy.volcano = true;
    g.Accept("volcano");
    out->pod_group_policy = policy;
  });
  if (!m.Has("template")) m.ctx().Error(m.node(), m.FieldPath("template"), "Required value");
  m.Nested("template", [&](MapReader& t) {
    t.Nested("metadata", [&](MapReader& md) {
      md.StringMap("labels", &out->template_.metadata.labels);
      md.StringMap("annotations", &out->template_.metadata.annotations);
    });
    t.Nested("spec", [&](MapReader& s) { DecodeJobSetSpec(s, &out->template_.spec); });
  });
}

void DecodeTrainingRuntime(MapReader& m, TrainingRuntime* out) {
  DecodeApiHeader(m, TrainingRuntime::kApiVersion, TrainingRuntime::kKind);
  DecodeMetadata(m, &out->metadata);
  m.Nested("spec", [&](MapReader& s) { DecodeTrainingRuntimeSpec(s, &out->spec); });
}

void DecodeClusterTrainingRuntime(MapReader& m, ClusterTrainingRuntime* out) {
  DecodeApiHeader(m, ClusterTrainingRuntime::kApiVersion, ClusterTrainingRuntime::kKind);
  DecodeMetadata(m, &out->metadata);
  out->metadata.namespace_ = "";
  m.Nested("spec", [&](MapReader& s) { DecodeTrainingRuntimeSpec(s, &out->spec); });
}

Result<TrainJob> DecodeTrainJobDocument(const YAML::Node& document, const std::string& file) {
  return DecodeDocument<TrainJob>(document, file, DecodeTrainJob);
}

Result<TrainingRuntime> DecodeTrainingRuntimeDocument(const YAML::Node& document,
                                                      const std::string& file) {
  return DecodeDocument<TrainingRuntime>(document, file, DecodeTrainingRuntime);
}

Result<ClusterTrainingRuntime> DecodeClusterTrainingRuntimeDocument(const YAML::Node& document,
                                                                    const std::string& file) {
  return DecodeDocument<ClusterTrainingRuntime>(document, file, DecodeClusterTrainingRuntime);
}

}  // namespace ptsim
