#include "fakes/process/memory_cgroups.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ptsim {
namespace {

bool WriteFile(const std::string& path, const std::string& value) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
  ::close(fd);
  return ok;
}

std::string OwnMemoryCgroupV1() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    // "4:memory:/some/path"
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    std::istringstream list(controllers);
    std::string c;
    while (std::getline(list, c, ',')) {
      if (c == "memory") return "/sys/fs/cgroup/memory" + line.substr(second + 1);
    }
  }
  return "";
}

}  // namespace

std::optional<MemoryCgroups::Use> MemoryCgroups::UseFromEnvironment(std::string* error) {
  const char* value = std::getenv("PTSIM_CGROUPS");
  if (value == nullptr || std::strcmp(value, "auto") == 0 || *value == '\0') return Use::kAuto;
  if (std::strcmp(value, "none") == 0) return Use::kNone;
  *error = fmt::format("PTSIM_CGROUPS=\"{}\": unknown; use auto or none", std::string(value));
  return std::nullopt;
}

MemoryCgroups::MemoryCgroups(const std::string& token, Use use) {
  if (use == Use::kNone) {
    why_sampling_ = "PTSIM_CGROUPS=none";
    return;
  }
  const std::string own = OwnMemoryCgroupV1();
  if (own.empty()) {
    why_sampling_ = "no cgroup v1 memory controller is mounted";
    return;
  }
  const std::string parent = own + "/ptsim-" + token;
  if (::mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST) {
    why_sampling_ = fmt::format("cannot create {}: {}", parent, std::strerror(errno));
    return;
  }
  // Check that limits can really be set below the parent.
  const std::string probe = parent + "/probe";
  const bool ok = (::mkdir(probe.c_str(), 0755) == 0 || errno == EEXIST) &&
                  WriteFile(probe + "/memory.limit_in_bytes", "67108864");
  ::rmdir(probe.c_str());
  if (!ok) {
    ::rmdir(parent.c_str());
    why_sampling_ = fmt::format("cannot set memory.limit_in_bytes under {}", parent);
    return;
  }
  parent_ = parent;
  mechanism_ = Mechanism::kCgroupV1;
}

MemoryCgroups::~MemoryCgroups() {
  if (!parent_.empty()) ::rmdir(parent_.c_str());
}

std::string MemoryCgroups::Describe() const {
  if (mechanism_ == Mechanism::kCgroupV1) {
    return fmt::format("cgroup v1 memory controller ({})", parent_);
  }
  return fmt::format("sampling resident memory from /proc every 100ms ({})", why_sampling_);
}

std::optional<MemoryCgroups::Slot> MemoryCgroups::Create(const std::string& id,
                                                         std::int64_t limit_bytes) {
  Slot slot;
  slot.dir = parent_ + "/" + id;
  if (::mkdir(slot.dir.c_str(), 0755) != 0 && errno != EEXIST) return std::nullopt;
  // Without swap accounting a limited process could swap instead of failing.
  WriteFile(slot.dir + "/memory.swappiness", "0");
  if (!WriteFile(slot.dir + "/memory.limit_in_bytes", std::to_string(limit_bytes))) {
    ::rmdir(slot.dir.c_str());
    return std::nullopt;
  }
  slot.procs_fd = ::open((slot.dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (slot.procs_fd < 0) {
    ::rmdir(slot.dir.c_str());
    return std::nullopt;
  }
  return slot;
}

bool MemoryCgroups::OomKilled(const Slot& slot) const {
  std::ifstream in(slot.dir + "/memory.oom_control");
  std::string key;
  long long value = 0;
  while (in >> key >> value) {
    if (key == "oom_kill") return value > 0;
  }
  return false;
}

void MemoryCgroups::Remove(Slot& slot) {
  if (slot.procs_fd >= 0) {
    ::close(slot.procs_fd);
    slot.procs_fd = -1;
  }
  if (slot.dir.empty()) return;
  std::ifstream procs(slot.dir + "/cgroup.procs");
  int pid = 0;
  while (procs >> pid)
    ::kill(pid, SIGKILL);
  ::rmdir(slot.dir.c_str());  // may fail while killed tasks exit; the guard retries
  slot.dir.clear();
}

}  // namespace ptsim
