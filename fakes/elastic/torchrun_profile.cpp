#include "fakes/elastic/torchrun_profile.hpp"

namespace ptsim::elastic {

TorchrunProfile TorchrunProfile::For(TorchVersion version) {
  TorchrunProfile p;
  p.version = version;
  if (version == TorchVersion::kTorch2) {
    p.dashed_flags = true;
    p.default_monitor_interval = 0.1;
    p.nccl_async_env = "TORCH_NCCL_ASYNC_ERROR_HANDLING";
    p.standalone_endpoint = "localhost:0";
  }
  return p;
}

std::optional<TorchVersion> ParseTorchVersion(std::string_view text) {
  if (text == "1.13" || text == "torch-1.13" || text == "torch1.13")
    return TorchVersion::kTorch1_13;
  if (text == "2" || text == "torch-2" || text == "torch2") return TorchVersion::kTorch2;
  return std::nullopt;
}

std::string_view TorchVersionName(TorchVersion version) {
  return version == TorchVersion::kTorch2 ? "2" : "1.13";
}

}  // namespace ptsim::elastic
