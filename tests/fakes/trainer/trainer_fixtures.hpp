// Objects the trainer tests start from: a TrainJob and runtimes in the shape
// of kubeflow/trainer's test wrappers (pkg/util/testing/wrapper.go).
#pragma once

#include <string>

#include "fakes/trainer/default_runtime.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim::testing {

inline TrainJob MakeTrainJob(const std::string& name = "test-job") {
  TrainJob tj;
  tj.metadata.name = name;
  tj.metadata.namespace_ = "default";
  tj.metadata.uid = "uid-" + name;
  tj.spec.runtime_ref.name = kDefaultRuntimeName;
  return tj;
}

inline Quantity Q(const char* text) {
  return Quantity::Parse(text).value();
}

inline const EnvVar* FindEnv(const std::vector<EnvVar>& env, const std::string& name) {
  for (const EnvVar& e : env) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace ptsim::testing
