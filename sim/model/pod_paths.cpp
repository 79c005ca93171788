#include "sim/model/pod_paths.hpp"

#include <fmt/format.h>

#include <set>

#include "sim/core/go_quote.hpp"
#include "sim/model/pod_codec.hpp"

namespace ptsim {

bool HasBacksteps(const std::string& path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = path.find('/', start);
    const std::string part =
        path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part == "..") return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

std::vector<PodPathError> CheckPodSpecPaths(const PodSpec& spec, const std::string& prefix) {
  std::vector<PodPathError> out;
  std::set<std::string> names;
  for (std::size_t i = 0; i < spec.volumes.size(); ++i) {
    const Volume& v = spec.volumes[i];
    const std::string field = fmt::format("{}volumes[{}]", prefix, i);
    if (auto why = CheckDns1123Label(v.name); !why.empty()) {
      out.push_back({field + ".name", fmt::format("Invalid value: {}: {}", GoQuote(v.name), why)});
    } else if (!names.insert(v.name).second) {
      out.push_back({field + ".name", fmt::format("Duplicate value: {}", GoQuote(v.name))});
    }
    if (v.kind == Volume::Kind::kHostPath) {
      if (v.path.empty()) {
        out.push_back({field + ".hostPath.path", "Required value"});
      } else if (HasBacksteps(v.path)) {
        out.push_back({field + ".hostPath.path",
                       fmt::format("Invalid value: {}: must not contain '..'", GoQuote(v.path))});
      }
    }
    if (v.kind == Volume::Kind::kPersistentVolumeClaim) {
      // Upstream requires a claimName here; that it is a DNS subdomain follows
      // from its being the name of a PersistentVolumeClaim. ptsim makes it a
      // directory (docs/volumes.md), so it checks the name here.
      const std::string f = field + ".persistentVolumeClaim.claimName";
      if (v.claim_name.empty()) {
        out.push_back({f, "Required value"});
      } else if (auto why = CheckDns1123Subdomain(v.claim_name); !why.empty()) {
        out.push_back({f, fmt::format("Invalid value: {}: {} (the name of a "
                                      "PersistentVolumeClaim)",
                                      GoQuote(v.claim_name), why)});
      }
    }
  }
  auto mounts = [&](const std::vector<Container>& list, const char* kind) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      for (std::size_t j = 0; j < list[i].volume_mounts.size(); ++j) {
        const std::string& sub = list[i].volume_mounts[j].sub_path;
        if (sub.empty()) continue;
        const std::string f = fmt::format("{}{}[{}].volumeMounts[{}].subPath", prefix, kind, i, j);
        // validateLocalDescendingPath.
        if (sub[0] == '/') {
          out.push_back(
              {f, fmt::format("Invalid value: {}: must be a relative path", GoQuote(sub))});
        } else if (HasBacksteps(sub)) {
          out.push_back({f, fmt::format("Invalid value: {}: must not contain '..'", GoQuote(sub))});
        }
      }
    }
  };
  mounts(spec.init_containers, "initContainers");
  mounts(spec.containers, "containers");
  return out;
}

std::vector<PodPathError> CheckPodPaths(const Pod& pod) {
  std::vector<PodPathError> out;
  if (!pod.metadata.name.empty()) {
    if (auto why = CheckDns1123Subdomain(pod.metadata.name); !why.empty()) {
      out.push_back(
          {"metadata.name", fmt::format("Invalid value: {}: {}", GoQuote(pod.metadata.name), why)});
    }
  }
  if (auto why = CheckDns1123Label(pod.metadata.namespace_);
      !pod.metadata.namespace_.empty() && !why.empty()) {
    out.push_back({"metadata.namespace",
                   fmt::format("Invalid value: {}: {}", GoQuote(pod.metadata.namespace_), why)});
  }
  auto containers = [&](const std::vector<Container>& list, const char* kind) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (auto why = CheckDns1123Label(list[i].name); !why.empty()) {
        out.push_back({fmt::format("spec.{}[{}].name", kind, i),
                       fmt::format("Invalid value: {}: {}", GoQuote(list[i].name), why)});
      }
    }
  };
  containers(pod.spec.init_containers, "initContainers");
  containers(pod.spec.containers, "containers");
  for (auto& e : CheckPodSpecPaths(pod.spec, "spec."))
    out.push_back(std::move(e));
  return out;
}

}  // namespace ptsim
