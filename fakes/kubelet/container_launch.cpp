#include "fakes/kubelet/container_launch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace ptsim {
namespace {

std::string Lookup(const std::vector<std::pair<std::string, std::string>>& vars,
                   const std::string& name, bool* found) {
  for (auto it = vars.rbegin(); it != vars.rend(); ++it) {
    if (it->first == name) {
      *found = true;
      return it->second;
    }
  }
  *found = false;
  return "";
}

// The downward API (pkg/fieldpath): metadata and status fields of the pod.
bool ResolveFieldRef(const Pod& pod, const std::string& path, std::string* out) {
  auto quoted_key = [&](const std::string& prefix) -> std::optional<std::string> {
    if (path.rfind(prefix + "['", 0) != 0 || path.size() < prefix.size() + 4 ||
        path.substr(path.size() - 2) != "']") {
      return std::nullopt;
    }
    return path.substr(prefix.size() + 2, path.size() - prefix.size() - 4);
  };
  if (path == "metadata.name")
    *out = pod.metadata.name;
  else if (path == "metadata.namespace")
    *out = pod.metadata.namespace_;
  else if (path == "metadata.uid")
    *out = pod.metadata.uid;
  else if (path == "spec.nodeName")
    *out = pod.spec.node_name;
  else if (path == "spec.serviceAccountName")
    *out = "default";
  else if (path == "status.hostIP" || path == "status.hostIPs")
    *out = pod.status.host_ip;
  else if (path == "status.podIP" || path == "status.podIPs")
    *out = pod.status.pod_ip;
  else if (auto key = quoted_key("metadata.labels")) {
    auto it = pod.metadata.labels.find(*key);
    *out = it == pod.metadata.labels.end() ? "" : it->second;
  } else if (auto akey = quoted_key("metadata.annotations")) {
    auto it = pod.metadata.annotations.find(*akey);
    *out = it == pod.metadata.annotations.end() ? "" : it->second;
  } else {
    return false;
  }
  return true;
}

bool ResolveResourceRef(const Pod& pod, const Container& self, const EnvVarSource& src,
                        std::string* out) {
  const Container* c = &self;
  if (!src.container_name.empty()) c = pod.FindContainer(src.container_name);
  if (c == nullptr) return false;
  const auto dot = src.resource.find('.');
  if (dot == std::string::npos) return false;
  const std::string kind = src.resource.substr(0, dot);
  const std::string name = src.resource.substr(dot + 1);
  const ResourceList& list = kind == "limits" ? c->resources.limits : c->resources.requests;
  auto it = list.find(name);
  std::int64_t milli = it == list.end() ? 0 : it->second.milli();
  const std::int64_t divisor = src.divisor ? src.divisor->milli() : 1000;
  if (divisor <= 0) return false;
  *out = std::to_string((milli + divisor - 1) / divisor);  // rounded up, as upstream
  return true;
}

std::string MapMounts(const std::string& value, const std::vector<VolumeMountPlan>& mounts) {
  for (const auto& m : mounts) {  // longest mount path first
    if (m.mount_path.empty()) continue;
    if (value == m.mount_path) return m.host_path;
    if (value.rfind(m.mount_path + "/", 0) == 0) {
      return m.host_path + value.substr(m.mount_path.size());
    }
    const auto eq = value.find('=');
    if (eq != std::string::npos && value.rfind("-", 0) == 0) {
      const std::string v = value.substr(eq + 1);
      const std::string mapped = MapMounts(v, mounts);
      if (mapped != v) return value.substr(0, eq + 1) + mapped;
    }
  }
  return value;
}

}  // namespace

std::string WorkingDir(const Container& c, const ImageSpec* image) {
  // A mapping says how to run the image on this machine: its workingDir, or
  // for `run` its own directory, wins over the container's, which names a
  // directory inside the image (as `run` replaces a command inside it).
  if (image && !image->working_dir.empty()) return image->working_dir;
  if (image && !image->run.empty()) return image->base_dir;
  if (!c.working_dir.empty()) return c.working_dir;
  if (image && MappingSuppliesCommand(c, *image)) return image->base_dir;
  return "";
}

std::string ExpandReferences(const std::string& input,
                             const std::vector<std::pair<std::string, std::string>>& vars) {
  std::string out;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (input[i] != '$' || i + 1 >= input.size()) {
      out += input[i];
      continue;
    }
    if (input[i + 1] == '$') {  // $$ escapes a dollar
      out += '$';
      ++i;
      continue;
    }
    if (input[i + 1] == '(') {
      const auto close = input.find(')', i + 2);
      if (close != std::string::npos) {
        const std::string name = input.substr(i + 2, close - i - 2);
        bool found = false;
        const std::string value = Lookup(vars, name, &found);
        out += found ? value : input.substr(i, close - i + 1);
        i = close;
        continue;
      }
    }
    out += input[i];
  }
  return out;
}

std::vector<VolumeMountPlan> PlanVolumes(const Pod& pod, const Container& c,
                                         const std::string& pod_dir, const std::string& run_dir) {
  std::vector<VolumeMountPlan> out;
  for (const auto& mount : c.volume_mounts) {
    const Volume* volume = nullptr;
    for (const auto& v : pod.spec.volumes) {
      if (v.name == mount.name) volume = &v;
    }
    if (volume == nullptr) continue;
    std::string host;
    switch (volume->kind) {
      case Volume::Kind::kEmptyDir:
        host = pod_dir + "/volumes/" + volume->name;
        break;
      case Volume::Kind::kPersistentVolumeClaim:
        host = run_dir + "/volumes/" + pod.metadata.namespace_ + "/" + volume->claim_name;
        break;
      case Volume::Kind::kHostPath:
        host = volume->path;
        break;
    }
    if (!mount.sub_path.empty()) host += "/" + mount.sub_path;
    std::error_code ignored;
    if (volume->kind != Volume::Kind::kHostPath) std::filesystem::create_directories(host, ignored);
    out.push_back({mount.mount_path, host});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.mount_path.size() > b.mount_path.size(); });
  return out;
}

LaunchPlan PlanContainer(const Pod& pod, const Container& c, const ImageSpec* image,
                         std::shared_ptr<const ContainerScript> annotation_script,
                         const std::vector<std::string>& base_env,
                         const std::vector<VolumeMountPlan>& mounts) {
  LaunchPlan plan;
  plan.script = annotation_script ? annotation_script : (image ? image->script : nullptr);

  std::vector<std::pair<std::string, std::string>> env;
  auto add = [&env](const std::string& entry) {
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  };
  for (const auto& e : base_env)
    add(e);
  if (image) {
    for (const auto& e : image->env)
      add(e);
  }
  env.emplace_back("HOSTNAME", pod.metadata.name);
  for (const auto& var : c.env) {
    std::string value;
    if (var.value_from) {
      plan.downward_api_env.insert(var.name);
      bool ok = false;
      if (!var.value_from->field_path.empty()) {
        ok = ResolveFieldRef(pod, var.value_from->field_path, &value);
      } else if (!var.value_from->resource.empty()) {
        ok = ResolveResourceRef(pod, c, *var.value_from, &value);
      }
      if (!ok) {
        plan.error_reason = "CreateContainerConfigError";
        plan.error_message =
            fmt::format("unsupported valueFrom for environment variable {}", var.name);
        return plan;
      }
    } else {
      plan.downward_api_env.erase(var.name);  // a later literal value wins
      value = ExpandReferences(var.value, env);
    }
    env.emplace_back(var.name, value);
  }
  // Later duplicates win; keep each name once, at its first position.
  std::vector<std::pair<std::string, std::string>> unique;
  // (No structured binding here: a lambda may capture one only since C++20's
  // P1091, which clang 14 does not implement.)
  for (const auto& var : env) {
    auto it = std::find_if(unique.begin(), unique.end(),
                           [&](const auto& p) { return p.first == var.first; });
    if (it == unique.end()) {
      unique.push_back(var);
    } else {
      it->second = var.second;
    }
  }
  for (auto& [name, value] : unique)
    value = MapMounts(value, mounts);
  plan.env = std::move(unique);

  for (const auto& part : CommandLine(c, image))
    plan.argv.push_back(ExpandReferences(part, plan.env));
  for (auto& part : plan.argv)
    part = MapMounts(part, mounts);
  plan.working_dir = MapMounts(WorkingDir(c, image), mounts);
  if (plan.argv.empty() && !plan.script) {
    plan.error_reason = "CreateContainerError";
    plan.error_message =
        c.command.empty() && !c.args.empty() && image
            ? fmt::format(
                  "no command specified: container \"{}\" has only args and the mapping of "
                  "image \"{}\" names no entrypoint",
                  c.name, c.image)
            : fmt::format(
                  "no command specified: container \"{}\" has no command and ptsim has no "
                  "entrypoint for image \"{}\"",
                  c.name, c.image);
  }
  return plan;
}

}  // namespace ptsim
