// PodTemplateSpec (k8s.io/api/core/v1 PodTemplateSpec): the metadata and spec
// every controller stamps its pods from — a PyTorchJob's replica, a batch/v1
// Job, a JobSet's replicated job. Plain data.
#pragma once

#include "sim/model/object_meta.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

struct PodTemplateSpec {
  ObjectMeta metadata;
  PodSpec spec;
};

}  // namespace ptsim
