// Recognising a container's command line as a torch elastic launcher:
// `torchrun ARGS`, `python[3[.x]] [opts] -m torch.distributed.run ARGS`, and
// the legacy `python -m torch.distributed.launch ARGS` (which appends
// --local_rank unless --use_env). Shell wrappers (`sh -c "torchrun ..."`) are
// not looked into. Pure functions; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ptsim::elastic {

struct TorchrunCommand {
  enum class Entry { kTorchrun, kRunModule, kLaunchModule };
  Entry entry = Entry::kTorchrun;
  std::string launcher;           // argv[0] as written ("torchrun", "/usr/bin/python3")
  std::vector<std::string> args;  // the launcher's own arguments, after "torchrun" or the module

  // argparse's prog, as usage and error lines print it.
  std::string Prog() const;
  bool python_module() const { return entry != Entry::kTorchrun; }
};

std::optional<TorchrunCommand> RecognizeTorchrun(const std::vector<std::string>& argv);

// True for "python", "python3", "python3.11", "/usr/bin/python3", ...
bool IsPythonExecutable(const std::string& path);

}  // namespace ptsim::elastic
