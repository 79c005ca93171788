// Whether a real torchrun would work for a container, for the `auto`
// interception policy. Real torchrun is unusable when the launcher is not
// found (torchrun in the container's PATH, or the python of `python -m
// torch.distributed.run`), when its interpreter cannot import
// torch.distributed.run, or when it has the Python 3.11 Std.from_str bug and
// the command's --redirects/--tee (or PET_REDIRECTS/PET_TEE, else "0") hit it.
// The bug (torch 1.13 multiprocessing/api.py on Python 3.11, where iterating
// an IntFlag skips NONE=0 and ALL=3): Std.from_str("0") and ("3") return
// None, so the default crashes in to_map (AttributeError: 'NoneType' object
// has no attribute 'get'), and a mapping that gives an existing local rank 0
// or 3 crashes in start_processes (TypeError: unsupported operand type(s) for
// |). A value works when it is 1 or 2, or a mapping whose entries for local
// ranks 0..nproc_per_node-1 are 1 or 2 (`9:1` redirects nothing); both flags
// must work. Measured with /usr/bin/torchrun (tests/fakes/elastic/
// conformance_test.cpp). RealTorchProbe runs `<interpreter> -c ...` once per
// interpreter, blocking, and caches the answer. Loop thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fakes/elastic/torchrun_command.hpp"
#include "fakes/elastic/torchrun_profile.hpp"

namespace ptsim::elastic {

class TorchProbe {
 public:
  virtual ~TorchProbe() = default;
  // True when a real torchrun would run `command` with environment `env` as
  // the torch `want` does; otherwise `*why` says why not. A run that asks for
  // torch 2 (--torch-version 2) cannot be served by a torch 1.x torchrun.
  bool RealTorchrunUsable(const TorchrunCommand& command, const std::vector<std::string>& env,
                          std::string* why, TorchVersion want = TorchVersion::kTorch1_13) {
    return Usable(command, env, want, why);
  }

 protected:
  virtual bool Usable(const TorchrunCommand& command, const std::vector<std::string>& env,
                      TorchVersion want, std::string* why) = 0;
};

class RealTorchProbe final : public TorchProbe {
 protected:
  bool Usable(const TorchrunCommand& command, const std::vector<std::string>& env,
              TorchVersion want, std::string* why) override;

 private:
  enum class Verdict { kUsable, kStdBug, kNoTorch };
  struct Found {
    Verdict verdict = Verdict::kNoTorch;
    int major = 0;  // torch.__version__'s major version
  };
  Found Probe(const std::string& interpreter);
  std::map<std::string, Found> cache_;
};

// A probe with a fixed answer, for tests.
class FixedTorchProbe final : public TorchProbe {
 public:
  explicit FixedTorchProbe(bool usable) : usable_(usable) {}

 protected:
  bool Usable(const TorchrunCommand&, const std::vector<std::string>&, TorchVersion,
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

// True when the command's resolved --redirects and --tee (flag, else PET_*,
// else "0") both avoid the Std.from_str bug for its --nproc_per_node local
// ranks (auto/cpu: this machine's CPUs). A command torch rejects before
// reaching them (a usage error, a bad value) counts as avoiding it: real
// torchrun reports that error itself.
bool WorksAroundStdBug(const TorchrunCommand& command, const std::vector<std::string>& env);
// The rule for one value: "1", "2", or a mapping whose entries for ranks
// below `local_world_size` are 1 or 2; also true for values torch rejects.
bool StdValueAvoidsBug(const std::string& value, int local_world_size);

}  // namespace ptsim::elastic
