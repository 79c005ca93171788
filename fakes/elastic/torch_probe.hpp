// Whether a real torchrun would work for a container, for the `auto`
// interception policy. Real torchrun is unusable when the launcher is not
// found (torchrun in the container's PATH, or the python of `python -m
// torch.distributed.run`), when its interpreter cannot import
// torch.distributed.run, or when it has the Python 3.11 Std.from_str bug
// (torch 1.13: the default --redirects/--tee crash in to_map) and the command
// does not work around it with both --redirects/-r and --tee/-t (or
// PET_REDIRECTS and PET_TEE). RealTorchProbe runs `<interpreter> -c ...` once
// per interpreter, blocking, and caches the answer. Loop thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fakes/elastic/torchrun_command.hpp"

namespace ptsim::elastic {

class TorchProbe {
 public:
  virtual ~TorchProbe() = default;
  // True when a real torchrun would run `command` with environment `env`;
  // otherwise `*why` says why not.
  virtual bool RealTorchrunUsable(const TorchrunCommand& command,
                                  const std::vector<std::string>& env, std::string* why) = 0;
};

class RealTorchProbe final : public TorchProbe {
 public:
  bool RealTorchrunUsable(const TorchrunCommand& command, const std::vector<std::string>& env,
                          std::string* why) override;

 private:
  enum class Verdict { kUsable, kStdBug, kNoTorch };
  Verdict Probe(const std::string& interpreter);
  std::map<std::string, Verdict> cache_;
};

// A probe with a fixed answer, for tests.
class FixedTorchProbe final : public TorchProbe {
 public:
  explicit FixedTorchProbe(bool usable) : usable_(usable) {}
  bool RealTorchrunUsable(const TorchrunCommand&, const std::vector<std::string>&,
                          std::string* why) override {
    if (!usable_ && why) *why = "torch is not available (fixed probe)";
    return usable_;
  }

 private:
  bool usable_;
};

// The Python interpreter a real launcher would run under (torchrun's shebang,
// or the `python -m` executable), resolved in the container's PATH; empty
// when the launcher is not found.
std::string LauncherInterpreter(const TorchrunCommand& command, const std::vector<std::string>& env,
                                std::string* why);

// True when the command line or environment sets both --redirects and --tee.
bool WorksAroundStdBug(const TorchrunCommand& command, const std::vector<std::string>& env);

}  // namespace ptsim::elastic
