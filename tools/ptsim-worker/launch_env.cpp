#include "tools/ptsim-worker/launch_env.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace ptsim::worker {
namespace {

constexpr std::array<std::string_view, 17> kRendezvousVariables{
    "RANK",
    "LOCAL_RANK",
    "GROUP_RANK",
    "ROLE_RANK",
    "ROLE_NAME",
    "LOCAL_WORLD_SIZE",
    "WORLD_SIZE",
    "GROUP_WORLD_SIZE",
    "ROLE_WORLD_SIZE",
    "MASTER_ADDR",
    "MASTER_PORT",
    "TORCHELASTIC_RESTART_COUNT",
    "TORCHELASTIC_MAX_RESTARTS",
    "TORCHELASTIC_RUN_ID",
    "TORCHELASTIC_USE_AGENT_STORE",
    "TORCHELASTIC_ERROR_FILE",
    "OMP_NUM_THREADS",
};

Result<int> ParseEnvInt(const std::string& name, const std::string& value, int min, int max) {
  int number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || number < min ||
      number > max) {
    return Error{
        fmt::format("invalid environment variable {}=\"{}\": expected an integer from {} to {}",
                    name, value, min, max)};
  }
  return number;
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<LaunchEnv> ReadLaunchEnv(const EnvLookup& env) {
  LaunchEnv launch;
  launch.master_addr = env("MASTER_ADDR").value_or("");
  if (auto port = env("MASTER_PORT")) {
    auto parsed = ParseEnvInt("MASTER_PORT", *port, 1, 65535);
    if (!parsed) return Error{parsed.error()};
    launch.master_port = parsed.value();
  }
  if (auto count = env("TORCHELASTIC_RESTART_COUNT")) launch.restart_count = *count;
  if (auto store = env("TORCHELASTIC_USE_AGENT_STORE")) {
    launch.use_agent_store = *store == "True" || *store == "true" || *store == "1";
  }

  auto world = env("WORLD_SIZE");
  if (!world) return launch;  // alone: rank 0 of 1, whatever RANK says
  auto world_size = ParseEnvInt("WORLD_SIZE", *world, 1, 65535);
  if (!world_size) return Error{world_size.error()};
  launch.world_size = world_size.value();
  if (auto rank = env("RANK")) {
    auto parsed = ParseEnvInt("RANK", *rank, 0, launch.world_size - 1);
    if (!parsed) {
      return Error{fmt::format("{} (WORLD_SIZE is {})", parsed.error(), launch.world_size)};
    }
    launch.rank = parsed.value();
  } else if (launch.world_size > 1) {
    return Error{fmt::format("WORLD_SIZE is {} but RANK is not set", launch.world_size)};
  }
  if (launch.world_size > 1 && (launch.master_addr.empty() || !launch.master_port)) {
    return Error{fmt::format(
        "WORLD_SIZE is {} but MASTER_ADDR and MASTER_PORT are not both set; the ranks meet at "
        "MASTER_ADDR:MASTER_PORT",
        launch.world_size)};
  }
  return launch;
}

int DefaultPortOffset(const LaunchEnv& launch) {
  return launch.use_agent_store ? 1 : 0;
}

std::vector<std::string> RendezvousEnvLines(const EnvLookup& env) {
  std::vector<std::string_view> names(kRendezvousVariables.begin(), kRendezvousVariables.end());
  std::sort(names.begin(), names.end());
  std::vector<std::string> lines;
  for (std::string_view name : names) {
    if (auto value = env(std::string(name)))
      lines.push_back(fmt::format("env {}={}", name, *value));
  }
  return lines;
}

}  // namespace ptsim::worker
