#include "tools/ptsim/run_flags.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "sim/harness/fault_spec.hpp"
#include "sim/harness/image_mapping.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/operator_version.hpp"
#include "sim/model/quantity.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

// --timeout, --operator-version, --torchrun and --torch-version.
bool DecodeVersionsAndTimeout(const RunOptions& options, PlanOverrides* overrides) {
  if (!options.timeout.empty()) {
    std::string error;
    auto timeout = ParseGoDuration(options.timeout, &error);
    if (!timeout || *timeout <= Duration{0}) {
      std::cerr << fmt::format("ptsim: --timeout {}: {}\n", options.timeout,
                               timeout ? "must be positive" : error);
      return false;
    }
    overrides->timeout = timeout;
  }
  if (!options.operator_version.empty()) {
    overrides->operator_version = ResolveOperatorRelease(options.operator_version);
    if (!overrides->operator_version) {
      std::cerr << fmt::format("ptsim: --operator-version {}: unknown; choose one of {}\n",
                               options.operator_version, OperatorVersionChoices());
      return false;
    }
  }
  if (!options.trainer_version.empty()) {
    overrides->trainer_version = ParseTrainerVersion(options.trainer_version);
    if (!overrides->trainer_version) {
      std::cerr << fmt::format("ptsim: --trainer-version {}: unknown; choose one of {}\n",
                               options.trainer_version, kTrainerVersions);
      return false;
    }
  }
  if (!options.torchrun.empty()) {
    overrides->torchrun = elastic::ParseElasticPolicy(options.torchrun);
    if (!overrides->torchrun) {
      std::cerr << fmt::format("ptsim: --torchrun {}: unknown; choose auto, emulate or real\n",
                               options.torchrun);
      return false;
    }
  }
  if (!options.torch_version.empty()) {
    overrides->torch_version = elastic::ParseTorchVersion(options.torch_version);
    if (!overrides->torch_version) {
      std::cerr << fmt::format("ptsim: --torch-version {}: unknown; choose 1.13 or 2\n",
                               options.torch_version);
      return false;
    }
  }
  return true;
}

// --image and --images, decoded and merged (a reference mapped twice,
// differently, is an error naming both).
bool LoadCommandLineImages(const RunOptions& options, PlanOverrides* overrides) {
  std::error_code ec;
  const std::string cwd = fs::current_path(ec).string();
  Diagnostics diags;
  for (const auto& file : options.image_files) {
    auto mappings = LoadImagesFile(file, cwd);
    diags.Append(mappings.diagnostics());
    if (mappings.ok()) MergeImageMappings(*mappings, &overrides->images, &diags);
  }
  for (const auto& text : options.images) {
    auto mapping = ParseImageFlag(text, cwd);
    diags.Append(mapping.diagnostics());
    if (mapping.ok()) MergeImageMappings({*mapping}, &overrides->images, &diags);
  }
  if (!diags.empty()) std::cerr << diags.Render();
  if (diags.ok()) return true;
  std::cerr << fmt::format("ptsim: {} error(s); nothing was run\n", diags.errors());
  return false;
}

// The runs directory and every --allow-host-path, absolute.
bool DecodeHostPaths(const RunOptions& options, PlanOverrides* overrides) {
  overrides->allowed_host_paths.push_back(fs::absolute(options.runs_dir).string());
  for (const auto& prefix : options.allowed_host_paths) {
    if (prefix.empty()) {
      std::cerr << "ptsim: --allow-host-path: give a directory\n";
      return false;
    }
    overrides->allowed_host_paths.push_back(fs::absolute(prefix).string());
  }
  return true;
}

}  // namespace

std::optional<PlanOverrides> OverridesFromFlags(const RunOptions& options) {
  PlanOverrides overrides;
  overrides.seed = options.seed;
  if (!DecodeVersionsAndTimeout(options, &overrides)) return std::nullopt;
  if (options.jobs < 1 || options.repeat < 1) {
    std::cerr << "ptsim: -j and --repeat must be at least 1\n";
    return std::nullopt;
  }
  for (const auto& text : options.faults) {
    auto fault = ParseFaultFlag(text);
    if (!fault.ok()) {
      std::cerr << fault.diagnostics().Render();
      return std::nullopt;
    }
    overrides.faults.push_back(*fault);
  }
  if (!LoadCommandLineImages(options, &overrides)) return std::nullopt;
  if (!DecodeHostPaths(options, &overrides)) return std::nullopt;
  return overrides;
}

std::optional<ContainerLogPolicy> LogPolicyFromFlags(const RunOptions& options) {
  // The kubelet's own validation: a size of at least one byte, two files or more.
  const auto size = Quantity::Parse(options.container_log_max_size);
  if (!size.ok() || size->units() < 1) {
    std::cerr << fmt::format(
        "ptsim: --container-log-max-size \"{}\": {}; give a size such as 10Mi or 512Ki\n",
        options.container_log_max_size,
        size.ok() ? "must be at least 1 byte" : size.diagnostics().items().front().message);
    return std::nullopt;
  }
  if (options.container_log_max_files < 2) {
    std::cerr << fmt::format("ptsim: --container-log-max-files {}: must be at least 2\n",
                             options.container_log_max_files);
    return std::nullopt;
  }
  return ContainerLogPolicy{size->units(), options.container_log_max_files};
}

}  // namespace ptsim::cli
