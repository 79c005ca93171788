#include "fakes/flyte/idl.hpp"

#include <array>

namespace ptsim::flyte::idl {
namespace {

// Indexed by the proto number (core/tasks.proto Resources.ResourceName).
constexpr std::array<std::string_view, 6> kResourceNames = {
    "UNKNOWN", "CPU", "GPU", "MEMORY", "STORAGE", "EPHEMERAL_STORAGE"};

}  // namespace

std::string_view ProtoName(ResourceName name) {
  return kResourceNames[static_cast<size_t>(name)];
}

std::optional<ResourceName> ResourceNameFromName(std::string_view name) {
  for (size_t i = 0; i < kResourceNames.size(); ++i) {
    if (kResourceNames[i] == name) return static_cast<ResourceName>(i);
  }
  return std::nullopt;
}

std::optional<ResourceName> ResourceNameFromNumber(int64_t number) {
  if (number < 0 || number >= static_cast<int64_t>(kResourceNames.size())) return std::nullopt;
  return static_cast<ResourceName>(number);
}

}  // namespace ptsim::flyte::idl
