#include "fakes/flyte/k8s_resources.hpp"

#include <fmt/format.h>

namespace ptsim::flyte {
namespace {

using nlohmann::json;

Quantity Get(const ResourceList& list, const std::string& name) {
  auto it = list.find(name);
  return it == list.end() ? Quantity() : it->second;
}

// ensureResourceLimit: a non-zero value above a non-zero limit becomes the limit.
Quantity EnsureLimit(const Quantity& value, const Quantity& limit) {
  if (value.IsZero() || limit.IsZero()) return value;
  return value.Cmp(limit) > 0 ? limit : value;
}

// adjustResourceRequirement (container_helper.go), with AdjustOrDefaultResource
// for assign_if_unset and ensureResourceRange for both modes.
void Adjust(const std::string& name, const ResourceRequirements& platform, bool assign_if_unset,
            ResourceRequirements* r) {
  Quantity request = Get(r->requests, name);
  Quantity limit = Get(r->limits, name);
  Quantity platform_limit = Get(platform.limits, name);
  if (assign_if_unset) {
    if (request.IsZero()) request = limit.IsZero() ? Get(platform.requests, name) : limit;
    if (limit.IsZero()) limit = request;
  }
  request = EnsureLimit(request, platform_limit);
  limit = EnsureLimit(limit, platform_limit);
  request = EnsureLimit(request, limit);
  r->requests[name] = request;
  r->limits[name] = limit;
}

}  // namespace

Result<ResourceRequirements> ToK8sResourceRequirements(const idl::Resources& resources) {
  ResourceRequirements out;
  auto convert = [](const std::vector<idl::ResourceEntry>& entries,
                    ResourceList* list) -> Diagnostics {
    Diagnostics d;
    for (const auto& e : entries) {
      auto q = Quantity::Parse(e.value);
      if (!q.ok()) {
        d.Error({}, "", "",
                "Failed to parse resource as a valid quantity.: " +
                    q.diagnostics().items().front().message);
        return d;
      }
      if (q->IsZero()) continue;
      switch (e.name) {
        case idl::ResourceName::kCpu:
          (*list)["cpu"] = q.value();
          break;
        case idl::ResourceName::kMemory:
          (*list)["memory"] = q.value();
          break;
        case idl::ResourceName::kGpu:
          (*list)[std::string(kResourceNvidiaGpu)] = q.value();
          break;
        case idl::ResourceName::kEphemeralStorage:
          (*list)["ephemeral-storage"] = q.value();
          break;
        default:
          break;
      }
    }
    return d;
  };
  Diagnostics d = convert(resources.requests, &out.requests);
  if (d.ok()) d = convert(resources.limits, &out.limits);
  if (!d.ok()) return d;
  return out;
}

void MergeResources(const ResourceRequirements& in, ResourceRequirements* out) {
  for (const auto& [name, q] : in.limits)
    out->limits[name] = q;
  for (const auto& [name, q] : in.requests)
    out->requests[name] = q;
}

void SanitizeGpuResourceRequirements(const std::string& gpu_resource_name,
                                     ResourceRequirements* resources) {
  for (auto* list : {&resources->requests, &resources->limits}) {
    auto it = list->find("gpu");
    if (it == list->end()) continue;
    Quantity q = it->second;
    list->erase(it);
    (*list)[gpu_resource_name] = q;
  }
}

ResourceRequirements ApplyResourceOverrides(ResourceRequirements resources,
                                            const ResourceRequirements& platform,
                                            const ResourceDefaults& defaults,
                                            bool assign_if_unset) {
  // resolvePlatformDefaults: the plugin config fills missing platform requests.
  ResourceRequirements effective = platform;
  effective.requests.try_emplace("cpu", defaults.default_cpu_request);
  effective.requests.try_emplace("memory", defaults.default_memory_request);

  Adjust("cpu", effective, assign_if_unset, &resources);
  Adjust("memory", effective, assign_if_unset, &resources);
  const std::string storage = "ephemeral-storage";
  if (resources.requests.count(storage) > 0 || resources.limits.count(storage) > 0) {
    Adjust(storage, effective, assign_if_unset, &resources);
  }
  const std::string& gpu = defaults.gpu_resource_name;
  if (resources.requests.count(gpu) > 0 || resources.limits.count(gpu) > 0) {
    Adjust(gpu, effective, assign_if_unset, &resources);
  }
  return resources;
}

}  // namespace ptsim::flyte
