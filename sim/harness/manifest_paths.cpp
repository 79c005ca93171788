#include "sim/harness/manifest_paths.hpp"

#include <filesystem>

namespace ptsim {
namespace fs = std::filesystem;

bool UnderVolumeMount(const Container& container, const std::string& path) {
  for (const auto& m : container.volume_mounts) {
    if (m.mount_path.empty()) continue;
    if (path == m.mount_path || path.rfind(m.mount_path + "/", 0) == 0) return true;
  }
  return false;
}

void ResolveWorkingDirs(PodSpec* spec, const std::string& file) {
  std::error_code ec;
  const fs::path dir = fs::absolute(fs::path(file), ec).parent_path();
  for (auto* containers : {&spec->init_containers, &spec->containers}) {
    for (Container& c : *containers) {
      if (c.working_dir.empty() || c.working_dir.front() == '/') continue;
      if (c.working_dir.find("$(") != std::string::npos) continue;
      c.working_dir = (dir / c.working_dir).lexically_normal().string();
    }
  }
}

}  // namespace ptsim
