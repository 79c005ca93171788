#include "fakes/elastic/torchrun_command.hpp"

#include <regex>

#include "sim/model/user_regex.hpp"

namespace ptsim::elastic {

namespace {

std::string Basename(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string TorchrunCommand::Prog() const {
  switch (entry) {
    case Entry::kTorchrun:
      return "torchrun";
    case Entry::kRunModule:
      return "run.py";
    case Entry::kLaunchModule:
      return "launch.py";
  }
  return "torchrun";
}

bool IsPythonExecutable(const std::string& path) {
  static const std::regex kPython(R"(python[0-9]*(\.[0-9]+)?)", kLinearRegex);
  return std::regex_match(Basename(path), kPython);
}

std::optional<TorchrunCommand> RecognizeTorchrun(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  TorchrunCommand cmd;
  cmd.launcher = argv[0];
  if (Basename(argv[0]) == "torchrun") {
    cmd.entry = TorchrunCommand::Entry::kTorchrun;
    cmd.args.assign(argv.begin() + 1, argv.end());
    return cmd;
  }
  if (!IsPythonExecutable(argv[0])) return std::nullopt;
  // The interpreter's own options come before `-m module` (python(1)).
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    std::string module;
    std::size_t next = i + 1;
    if (a == "-m") {
      if (next >= argv.size()) return std::nullopt;
      module = argv[next++];
    } else if (a.rfind("-m", 0) == 0 && a.size() > 2) {
      module = a.substr(2);
    } else if (a == "-W" || a == "-X") {
      ++i;  // takes a value
      continue;
    } else if (a == "-c" || a.rfind("-c", 0) == 0 || a.empty() || a[0] != '-' || a == "-") {
      return std::nullopt;  // a program or a script, not a module
    } else {
      continue;  // -u, -O, -B, -E, -s, -I, ...
    }
    if (module == "torch.distributed.run") {
      cmd.entry = TorchrunCommand::Entry::kRunModule;
    } else if (module == "torch.distributed.launch") {
      cmd.entry = TorchrunCommand::Entry::kLaunchModule;
    } else {
      return std::nullopt;
    }
    cmd.args.assign(argv.begin() + static_cast<std::ptrdiff_t>(next), argv.end());
    return cmd;
  }
  return std::nullopt;
}

}  // namespace ptsim::elastic
