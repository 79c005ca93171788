// PluginConfig: the flytepropeller configuration that shapes a PyTorchJob and
// its phase: the k8s plugin section (flytek8s/config/config.go
// K8sPluginConfig, the subset used by pod building), the kf-operator section
// (kfoperators/common/config.go: timeout, default 1 minute) and the logs
// section. Defaults are upstream's (default annotation
// cluster-autoscaler.kubernetes.io/safe-to-evict: "false", default-cpus
// 1000m, default-memory 1024Mi, GPU labels k8s.amazonaws.com/...).
//
// JSON form uses upstream's config keys: {"k8s": {"default-annotations": {},
// "default-labels": {}, "default-env-vars": {}, "default-cpus": "1000m",
// "default-memory": "1024Mi", "gpu-resource-name": ..., "gpu-device-node-label":
// ..., "gpu-partition-size-node-label": ..., "add-tolerations-for-extended-resources":
// [...], "resource-tolerations": {name: [toleration...]},
// "interruptible-tolerations": [...], "default-tolerations": [...],
// "interruptible-node-selector": {}, "default-node-selector": {},
// "interruptible-node-selector-requirement": {...},
// "non-interruptible-node-selector-requirement": {...}, "scheduler-name": "",
// "image-pull-policy": "", "enable-distributed-error-aggregation": false},
// "kf-operator": {"timeout": "1m"|seconds}, "logs": {...} (logs.hpp)}.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/k8s_resources.hpp"
#include "fakes/flyte/logs.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

struct PluginConfig {
  std::map<std::string, std::string> default_annotations = {
      {"cluster-autoscaler.kubernetes.io/safe-to-evict", "false"}};
  std::map<std::string, std::string> default_labels{};
  std::map<std::string, std::string> default_env_vars{};
  ResourceDefaults resource_defaults = DefaultResourceDefaults();
  std::string gpu_device_node_label = "k8s.amazonaws.com/accelerator";
  std::string gpu_partition_size_node_label = "k8s.amazonaws.com/gpu-partition-size";
  std::vector<std::string> add_tolerations_for_extended_resources{};
  std::map<std::string, std::vector<nlohmann::json>> resource_tolerations{};
  std::vector<nlohmann::json> interruptible_tolerations{};
  std::vector<nlohmann::json> default_tolerations{};
  std::map<std::string, std::string> interruptible_node_selector{};
  std::map<std::string, std::string> default_node_selector{};
  std::optional<nlohmann::json> interruptible_node_selector_requirement{};
  std::optional<nlohmann::json> non_interruptible_node_selector_requirement{};
  std::string scheduler_name{};
  std::string image_pull_policy{};
  // enable-distributed-error-aggregation: the "Earliest" strategy.
  bool enable_distributed_error_aggregation = false;

  double kf_operator_timeout_seconds = 60;  // kf-operator.timeout
  LogConfig logs{};

  static ResourceDefaults DefaultResourceDefaults();
};

Result<PluginConfig> ParsePluginConfig(const nlohmann::json& json);

}  // namespace ptsim::flyte
