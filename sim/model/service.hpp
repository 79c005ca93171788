// core/v1 Service, as the PyTorchJob operator and the JobSet controller create
// them: headless (clusterIP None). Plain data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/model/object_meta.hpp"

namespace ptsim {

struct ServicePort {
  std::string name;
  std::int32_t port = 0;
  std::int32_t target_port = 0;  // 0 means "same as port" (API defaulting)
  std::string protocol = "TCP";
};

struct ServiceSpec {
  std::string cluster_ip;  // "None" for headless services
  std::string type = "ClusterIP";
  std::map<std::string, std::string> selector;
  std::vector<ServicePort> ports;
  // Endpoints list pods that are not ready too (a JobSet's headless Service sets it).
  bool publish_not_ready_addresses = false;
};

struct Service {
  static constexpr const char* kKind = "Service";
  static constexpr const char* kApiVersion = "v1";
  ObjectMeta metadata;
  ServiceSpec spec;
};

}  // namespace ptsim
