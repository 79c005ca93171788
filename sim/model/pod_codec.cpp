#include "sim/model/pod_codec.hpp"

#include <fmt/format.h>

#include <set>

#include "sim/model/dns_name.hpp"
#include "sim/model/field_error.hpp"
#include "sim/model/pod_paths.hpp"

namespace ptsim {

void DecodeEnvVar(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                  EnvVar* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name, /*required=*/true);
  m.String("value", &out->value);
  m.Nested("valueFrom", [&](MapReader& vf) {
    EnvVarSource source;
    vf.Nested("fieldRef", [&](MapReader& f) {
      f.String("fieldPath", &source.field_path, true);
      f.Accept("apiVersion");
    });
    vf.Nested("resourceFieldRef", [&](MapReader& r) {
      r.String("resource", &source.resource, true);
      r.String("containerName", &source.container_name);
      YAML::Node d = r.Get("divisor");
      Quantity q;
      if (!IsAbsent(d) && ReadQuantity(ctx, d, r.FieldPath("divisor"), &q)) source.divisor = q;
    });
    for (const char* unsupported : {"configMapKeyRef", "secretKeyRef"}) {
      YAML::Node n = vf.Get(unsupported);
      if (!IsAbsent(n)) {
        ctx.Error(n, vf.FieldPath(unsupported),
                  "ptsim has no ConfigMaps or Secrets; give the variable a literal `value`");
      }
    }
    out->value_from = source;
  });
}

namespace {

void DecodePort(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                ContainerPort* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name);
  m.Int32("containerPort", &out->container_port);
  m.String("protocol", &out->protocol);
  m.Int32("hostPort", &out->host_port);
  m.Accept("hostIP");
}

void DecodeVolumeMount(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                       VolumeMount* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name, true);
  m.String("mountPath", &out->mount_path, true);
  m.String("subPath", &out->sub_path);
  m.Bool("readOnly", &out->read_only);
  m.Accept({"mountPropagation", "subPathExpr", "recursiveReadOnly"});
}

void DecodeVolume(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                  Volume* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name, true);
  int kinds = 0;
  if (m.Has("emptyDir")) {
    ++kinds;
    out->kind = Volume::Kind::kEmptyDir;
    m.Nested("emptyDir", [&](MapReader& e) {
      e.String("medium", &out->medium);
      e.Accept("sizeLimit");
    });
  }
  if (m.Has("persistentVolumeClaim")) {
    ++kinds;
    out->kind = Volume::Kind::kPersistentVolumeClaim;
    m.Nested("persistentVolumeClaim", [&](MapReader& p) {
      p.String("claimName", &out->claim_name, true);
      p.Bool("readOnly", &out->read_only);
    });
  }
  if (m.Has("hostPath")) {
    ++kinds;
    out->kind = Volume::Kind::kHostPath;
    m.Nested("hostPath", [&](MapReader& h) {
      h.String("path", &out->path, true);
      h.Accept("type");
    });
  }
  for (const char* other :
       {"configMap", "secret", "projected", "downwardAPI", "nfs", "csi", "ephemeral", "image"}) {
    YAML::Node n = m.Get(other);
    if (IsAbsent(n)) continue;
    ++kinds;
    out->kind = Volume::Kind::kEmptyDir;
    ctx.Warning(n, m.FieldPath(other),
                fmt::format("{} volumes are not simulated; mounted as an empty directory", other));
  }
  if (kinds == 0) {
    // An empty volume source defaults to emptyDir in the API.
    out->kind = Volume::Kind::kEmptyDir;
  } else if (kinds > 1) {
    ctx.Error(node, path, "may not specify more than 1 volume type");
  }
}

void DecodeToleration(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                      Toleration* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("key", &out->key);
  m.String("operator", &out->op);
  m.String("value", &out->value);
  m.String("effect", &out->effect);
  m.OptInt64("tolerationSeconds", &out->toleration_seconds);
}

}  // namespace

void DecodeObjectMeta(MapReader& m, ObjectMeta* out) {
  m.String("name", &out->name);
  m.String("generateName", &out->generate_name);
  std::string ns;
  m.String("namespace", &ns);
  if (!ns.empty()) out->namespace_ = ns;
  m.StringMap("labels", &out->labels);
  m.StringMap("annotations", &out->annotations);
  // apimachinery ValidateAnnotations: keys and values of all annotations
  // together may take TotalAnnotationSizeLimitB (256 KiB).
  std::size_t annotation_bytes = 0;
  for (const auto& [key, value] : out->annotations)
    annotation_bytes += key.size() + value.size();
  if (annotation_bytes > kTotalAnnotationSizeLimitBytes) {
    FieldError too_long{FieldErrorType::kTooLong, m.FieldPath("annotations"), std::nullopt,
                        fmt::format("must have at most {} bytes", kTotalAnnotationSizeLimitBytes)};
    m.ctx().Error(m.Get("annotations"), m.FieldPath("annotations"), too_long.Body());
  }
  m.StringList("finalizers", &out->finalizers);
  // Server-set fields appear in exported objects; they are ignored.
  m.Accept({"uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
            "deletionGracePeriodSeconds", "selfLink", "managedFields", "ownerReferences"});
}

void DecodeContainer(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                     Container* out) {
  MapReader m(ctx, node, path);
  if (!m.ok()) return;
  m.String("name", &out->name, /*required=*/true);
  m.String("image", &out->image);
  m.StringList("command", &out->command);
  m.StringList("args", &out->args);
  m.String("workingDir", &out->working_dir);
  m.List<ContainerPort>("ports", &out->ports, DecodePort);
  m.List<EnvVar>("env", &out->env, DecodeEnvVar);
  m.Nested("resources", [&](MapReader& r) {
    r.Quantities("limits", &out->resources.limits);
    r.Quantities("requests", &out->resources.requests);
    r.Unsupported("claims", "resources.claims");
  });
  m.List<VolumeMount>("volumeMounts", &out->volume_mounts, DecodeVolumeMount);
  m.String("imagePullPolicy", &out->image_pull_policy);
  m.String("restartPolicy", &out->restart_policy);
  {
    YAML::Node env_from = m.Get("envFrom");
    if (!IsAbsent(env_from)) {
      ctx.Error(env_from, m.FieldPath("envFrom"),
                "ptsim has no ConfigMaps or Secrets; list the variables under `env`");
    }
  }
  m.Accept({"terminationMessagePath", "terminationMessagePolicy", "securityContext", "stdin",
            "stdinOnce", "tty", "resizePolicy"});
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    m.Unsupported(probe, probe);
  }
  m.Unsupported("lifecycle", "lifecycle (postStart/preStop hooks)");
  m.Unsupported("volumeDevices", "volumeDevices");
}

void DecodePodSpec(MapReader& m, PodSpec* out) {
  DecodeContext& ctx = m.ctx();
  m.List<Container>("initContainers", &out->init_containers, DecodeContainer);
  m.List<Container>("containers", &out->containers, DecodeContainer);
  out->restart_policy_set = m.Has("restartPolicy");
  m.String("restartPolicy", &out->restart_policy);
  m.OptInt64("terminationGracePeriodSeconds", &out->termination_grace_period_seconds);
  m.OptInt64("activeDeadlineSeconds", &out->active_deadline_seconds);
  m.String("nodeName", &out->node_name);
  m.StringMap("nodeSelector", &out->node_selector);
  m.String("schedulerName", &out->scheduler_name);
  m.List<Volume>("volumes", &out->volumes, DecodeVolume);
  m.List<Toleration>("tolerations", &out->tolerations, DecodeToleration);
  m.String("hostname", &out->hostname);
  m.String("subdomain", &out->subdomain);
  m.String("priorityClassName", &out->priority_class_name);
  m.Bool("hostNetwork", &out->host_network);
  (void)ctx;
  m.Accept({"dnsPolicy", "serviceAccountName", "serviceAccount", "automountServiceAccountToken",
            "hostPID", "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets",
            "hostAliases", "priority", "dnsConfig", "runtimeClassName", "enableServiceLinks",
            "preemptionPolicy", "setHostnameAsFQDN", "os", "hostUsers"});
  m.Unsupported("affinity", "affinity");
  m.Unsupported("topologySpreadConstraints", "topologySpreadConstraints");
  m.Unsupported("ephemeralContainers", "ephemeralContainers");
  m.Unsupported("readinessGates", "readinessGates");
  m.Unsupported("schedulingGates", "schedulingGates");
  m.Unsupported("resourceClaims", "resourceClaims");
  m.Unsupported("overhead", "overhead");
  m.Unsupported("resources", "pod-level resources");
}

void DecodePodTemplate(MapReader& m, ObjectMeta* meta, PodSpec* spec) {
  m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, meta); });
  m.Nested("spec", [&](MapReader& s) { DecodePodSpec(s, spec); });
}

void DecodePod(MapReader& m, Pod* out) {
  m.Accept({"apiVersion", "kind", "status"});
  m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, &out->metadata); });
  if (!m.Has("spec")) m.ctx().Error(m.node(), "spec", "Required value");
  m.Nested("spec", [&](MapReader& s) { DecodePodSpec(s, &out->spec); });
}

std::string CheckDns1123Label(const std::string& value) {
  std::string problems;
  if (value.size() > 63) problems = "must be no more than 63 characters";
  if (!MatchesDns1123Label(value)) {
    if (!problems.empty()) problems += ", ";
    problems +=
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  }
  return problems;
}

std::string CheckDns1123Subdomain(const std::string& value) {
  std::string problems;
  if (value.size() > 253) problems = "must be no more than 253 characters";
  if (!MatchesDns1123Subdomain(value)) {
    if (!problems.empty()) problems += ", ";
    problems +=
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  }
  return problems;
}

void ValidatePodSpec(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                     const PodSpec& spec) {
  if (spec.containers.empty()) {
    ctx.Error(node, JoinPath(path, "containers"),
              "Required value: must have at least one container");
  }
  static const std::set<std::string> kPolicies = {"Always", "OnFailure", "Never"};
  if (!kPolicies.count(spec.restart_policy)) {
    ctx.Error(node, JoinPath(path, "restartPolicy"),
              fmt::format("Unsupported value: {}: supported values: \"Always\", "
                          "\"OnFailure\", \"Never\"",
                          GoQuote(spec.restart_policy)));
  }
  std::set<std::string> names;
  std::set<std::string> volumes;
  for (const auto& v : spec.volumes)
    volumes.insert(v.name);
  auto check = [&](const std::vector<Container>& list, const char* field) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Container& c = list[i];
      const std::string p = IndexPath(JoinPath(path, field), i);
      if (!c.name.empty()) {
        if (auto why = CheckDns1123Label(c.name); !why.empty()) {
          ctx.Error(node, JoinPath(p, "name"),
                    fmt::format("Invalid value: {}: {}", GoQuote(c.name), why));
        }
        if (!names.insert(c.name).second) {
          ctx.Error(node, JoinPath(p, "name"), fmt::format("Duplicate value: {}", GoQuote(c.name)));
        }
      }
      for (std::size_t j = 0; j < c.ports.size(); ++j) {
        const int port = c.ports[j].container_port;
        if (port < 1 || port > 65535) {
          ctx.Error(node, JoinPath(IndexPath(JoinPath(p, "ports"), j), "containerPort"),
                    fmt::format("Invalid value: {}: must be between 1 and 65535, inclusive", port));
        }
      }
      for (std::size_t j = 0; j < c.volume_mounts.size(); ++j) {
        if (!volumes.count(c.volume_mounts[j].name)) {
          ctx.Error(node, JoinPath(IndexPath(JoinPath(p, "volumeMounts"), j), "name"),
                    fmt::format("Not found: {}", GoQuote(c.volume_mounts[j].name)));
        }
      }
    }
  };
  check(spec.init_containers, "initContainers");
  check(spec.containers, "containers");
  for (const auto& e : CheckPodSpecPaths(spec, ""))
    ctx.Error(node, JoinPath(path, e.field), e.message);
}

}  // namespace ptsim
