// Which torchrun the emulation behaves like. ptsim's conformance oracle is the
// torch 1.13 installed on the build machine (python3-torch 1.13.1); its rules
// are the default. kTorch2 applies what later releases changed
// (docs/upstream/torchrun.md#torch-versions): flags accepted with dashes as
// well as underscores (--nproc-per-node), --monitor-interval defaulting to
// 0.1 s instead of 5 s, TORCH_NCCL_ASYNC_ERROR_HANDLING instead of
// NCCL_ASYNC_ERROR_HANDLING, and --standalone on localhost:0. Everything else
// follows 1.13. Plain data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptsim::elastic {

enum class TorchVersion { kTorch1_13, kTorch2 };

struct TorchrunProfile {
  TorchVersion version = TorchVersion::kTorch1_13;
  bool dashed_flags = false;  // run.py get_args_parser: "--nproc-per-node", "--nproc_per_node"
  double default_monitor_interval = 5;
  std::string nccl_async_env = "NCCL_ASYNC_ERROR_HANDLING";  // local_elastic_agent._start_workers
  std::string standalone_endpoint = "localhost:29400";       // run.py run()

  static TorchrunProfile For(TorchVersion version);
};

// "1.13" or "2" (also "torch-1.13", "torch2"); nullopt for anything else.
std::optional<TorchVersion> ParseTorchVersion(std::string_view text);
std::string_view TorchVersionName(TorchVersion version);

}  // namespace ptsim::elastic
