// Starting a container's main process under ptsim-shim (see
// fakes/process/container_shim_main.cpp): where the shim is, the command line
// that runs a program under it, and the start-up handshake that tells whether
// the program itself could be executed. Used by RealProcessRunner on the loop
// thread; no state beyond the two descriptors of one launch.
// REQUIRES: the shim's descriptor `write_fd` is inherited by the shim (not close-on-exec
// in the child) and closed in ptsim right after the spawn.
#pragma once

#include <string>
#include <vector>

namespace ptsim {

// The shim to use: $PTSIM_CONTAINER_SHIM when set ("none" for no shim), else
// `ptsim-shim` next to the running executable. Empty, with `why` set, when
// there is none: containers then run directly, and a process that leaves its
// process group and clears its environment can outlive its container.
std::string FindContainerShim(std::string* why);

class ShimLaunch {
 public:
  // Makes the handshake pipe. On failure (EMFILE...) ok() is false and error() says why.
  ShimLaunch(const std::string& shim, const std::string& exe, const std::vector<std::string>& args);
  ~ShimLaunch();
  ShimLaunch(const ShimLaunch&) = delete;
  ShimLaunch& operator=(const ShimLaunch&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // What to exec instead of `exe args...`.
  const std::string& exe() const { return shim_; }
  const std::vector<std::string>& args() const { return args_; }
  int write_fd() const { return fds_[1]; }
  // After the spawn: closes ptsim's write end and waits until the program was
  // executed (0) or could not be (its errno).
  int AwaitExec();

 private:
  std::string shim_;
  std::vector<std::string> args_;
  std::string error_;
  int fds_[2] = {-1, -1};
};

}  // namespace ptsim
