// core/v1 ConfigMap, as far as ptsim's controllers write them: the Trainer's
// runtime snapshot (`<trainjob>-runtime-snapshot`, key `runtime`). Plain data.
#pragma once

#include <map>
#include <string>

#include "sim/model/object_meta.hpp"

namespace ptsim {

struct ConfigMap {
  static constexpr const char* kKind = "ConfigMap";
  static constexpr const char* kApiVersion = "v1";
  ObjectMeta metadata;
  std::map<std::string, std::string> data;
};

}  // namespace ptsim
