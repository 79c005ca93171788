// Memory limits for container processes.
//
// Where the machine gives us a writable cgroup v1 memory controller (the case
// on ptsim's build machines), each limited process runs in its own cgroup under
// <our memory cgroup>/ptsim-<token>/ with memory.limit_in_bytes set; the kernel
// OOM-kills it exactly as it would in a container, and memory.oom_control's
// oom_kill counter tells us it happened. Elsewhere (cgroup v2 without a
// delegated memory controller, no permission), the runner falls back to
// sampling the resident memory of the process group (see real_process_runner).
// Used on the loop thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ptsim {

class MemoryCgroups {
 public:
  enum class Mechanism { kCgroupV1, kSampling };

  // One limited process's cgroup: its directory and an open descriptor on its
  // cgroup.procs, which the child writes its own pid to before exec.
  struct Slot {
    std::string dir;
    int procs_fd = -1;
  };

  // kNone never uses cgroups (memory is sampled): PTSIM_CGROUPS=none, and tests
  // of the path taken on machines without a writable memory controller.
  enum class Use { kAuto, kNone };
  // PTSIM_CGROUPS: unset or "auto" -> kAuto, "none" -> kNone; anything else is
  // an error naming the variable (returned as nullopt with `error` set).
  static std::optional<Use> UseFromEnvironment(std::string* error);

  // Probes the machine and creates the parent cgroup when possible.
  explicit MemoryCgroups(const std::string& token, Use use = Use::kAuto);
  ~MemoryCgroups();
  MemoryCgroups(const MemoryCgroups&) = delete;
  MemoryCgroups& operator=(const MemoryCgroups&) = delete;

  Mechanism mechanism() const { return mechanism_; }
  // One sentence for `ptsim --version`-style diagnostics and docs.
  std::string Describe() const;
  const std::string& parent_dir() const { return parent_; }

  // REQUIRES: mechanism() == kCgroupV1.
  std::optional<Slot> Create(const std::string& id, std::int64_t limit_bytes);
  bool OomKilled(const Slot& slot) const;
  // Kills anything left in the cgroup and removes it.
  void Remove(Slot& slot);

 private:
  Mechanism mechanism_ = Mechanism::kSampling;
  std::string parent_;
  std::string why_sampling_;
};

}  // namespace ptsim
