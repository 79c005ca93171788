// autoscaling/v2 HorizontalPodAutoscaler, as the PyTorchJob operator creates it
// for elastic jobs with metrics (training-operator pkg/controller.v1/pytorch/
// hpa.go). ptsim records it; it does not act on metrics. Plain data.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "sim/model/object_meta.hpp"

namespace ptsim {

struct CrossVersionObjectReference {
  std::string kind;
  std::string name;
  std::string api_version;
};

struct HorizontalPodAutoscalerSpec {
  CrossVersionObjectReference scale_target_ref;
  std::optional<std::int32_t> min_replicas;
  std::int32_t max_replicas = 0;
  nlohmann::json metrics;  // the MetricSpec list, as written in elasticPolicy.metrics
};

struct HorizontalPodAutoscaler {
  static constexpr const char* kKind = "HorizontalPodAutoscaler";
  static constexpr const char* kApiVersion = "autoscaling/v2";
  ObjectMeta metadata;
  HorizontalPodAutoscalerSpec spec;
};

}  // namespace ptsim
