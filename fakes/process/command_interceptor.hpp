// A ProcessRunner that takes over some command lines instead of running them
// as given: the kubelet asks each registered interceptor, in order, whether it
// intercepts a container's process before handing it to the ordinary runner.
// ptsim uses this for programs whose behaviour it emulates rather than runs:
// the operator's init-pytorch DNS wait, and torchrun (the elastic agent).
// Loop thread only.
#pragma once

#include "fakes/process/process_runner.hpp"

namespace ptsim {

class CommandInterceptor : public ProcessRunner {
 public:
  // True when this interceptor runs `spec` (argv and env as the container
  // would see them) instead of the ordinary runner.
  virtual bool Intercepts(const ProcessSpec& spec) const = 0;
};

}  // namespace ptsim
