#include "fakes/elastic/torch_probe.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <regex>
#include <thread>

#include "fakes/elastic/python_syntax.hpp"
#include "fakes/elastic/torchrun_args.hpp"
#include "fakes/process/real_process_runner.hpp"

namespace ptsim::elastic {

namespace {

// Exit 0: usable torch 1.x; 3: the Std.from_str("0") bug; 4: no
// torch.distributed.run; 20: usable torch 2 or later.
constexpr const char* kProbeScript =
    "import sys\n"
    "try:\n"
    "    import torch, torch.distributed.run\n"
    "    from torch.distributed.elastic.multiprocessing import Std\n"
    "except Exception:\n"
    "    sys.exit(4)\n"
    "if Std.from_str('0') is None:\n"
    "    sys.exit(3)\n"
    "sys.exit(20 if int(torch.__version__.split('.')[0]) >= 2 else 0)\n";

}  // namespace

bool StdValueAvoidsBug(const std::string& value, int local_world_size) {
  // Std.from_str: "^[0-3]$" or "^(\d:[0-3],)*(\d:[0-3])$"; anything else is
  // a ValueError torch reports before any worker starts.
  static const std::regex kValue("^[0123]$");
  static const std::regex kMapping(R"(^(\d:[0123],)*(\d:[0123])$)");
  auto bad = [](char c) { return c == '0' || c == '3'; };
  if (std::regex_search(value, kValue)) return !bad(value[0]);
  if (!std::regex_search(value, kMapping)) return true;
  for (std::size_t i = 0; i + 2 < value.size(); i += 4) {
    const int rank = value[i] - '0';
    if (rank < local_world_size && bad(value[i + 2])) return false;
  }
  return true;
}

bool WorksAroundStdBug(const TorchrunCommand& command, const std::vector<std::string>& env) {
  const auto parsed = ParseTorchrunArgs(command, EnvMapOf(env), TorchrunProfile{});
  if (!parsed.args) return true;  // argparse's own error comes first
  const TorchrunArgs& a = *parsed.args;
  int nproc = 0;
  if (auto n = PyInt(a.nproc_per_node)) {
    nproc = static_cast<int>(*n);
  } else if (a.nproc_per_node == "auto" || a.nproc_per_node == "cpu") {
    nproc = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  } else {
    return true;  // determine_local_world_size raises first
  }
  return StdValueAvoidsBug(a.redirects, nproc) && StdValueAvoidsBug(a.tee, nproc);
}

RealTorchProbe::Found RealTorchProbe::Probe(const std::string& interpreter) {
  if (auto it = cache_.find(interpreter); it != cache_.end()) return it->second;
  Found found;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string arg0 = interpreter;
  std::string flag = "-c";
  std::string script = kProbeScript;
  char* argv[] = {arg0.data(), flag.data(), script.data(), nullptr};
  std::string path = "PATH=/usr/local/bin:/usr/bin:/bin";
  char* envp[] = {path.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, interpreter.c_str(), &actions, nullptr, argv, envp) == 0) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
      // The Std bug is torch 1.13's (its fix shipped with torch 2).
      if (WEXITSTATUS(status) == 0) found = {Verdict::kUsable, 1};
      if (WEXITSTATUS(status) == 20) found = {Verdict::kUsable, 2};
      if (WEXITSTATUS(status) == 3) found = {Verdict::kStdBug, 1};
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  cache_[interpreter] = found;
  return found;
}

std::string LauncherInterpreter(const TorchrunCommand& command, const std::vector<std::string>& env,
                                std::string* why) {
  std::string reason;
  const std::string launcher = ResolveExecutable(command.launcher, env, &reason);
  if (launcher.empty()) {
    if (why) *why = command.launcher + " not found: " + reason;
    return "";
  }
  if (command.python_module()) return launcher;
  // torchrun is a Python script: its shebang names the interpreter.
  std::ifstream in(launcher);
  std::string first;
  std::getline(in, first);
  std::string interpreter = first.rfind("#!", 0) == 0 ? first.substr(2) : "/usr/bin/python3";
  std::string rest;
  if (auto space = interpreter.find(' '); space != std::string::npos) {
    rest = interpreter.substr(space + 1);
    interpreter.resize(space);
  }
  if (interpreter == "/usr/bin/env" && !rest.empty()) {  // "#!/usr/bin/env python3"
    interpreter = ResolveExecutable(rest.substr(0, rest.find(' ')), env, &reason);
  }
  if (interpreter.empty() && why) *why = "the interpreter of " + launcher + " is not found";
  return interpreter;
}

bool RealTorchProbe::Usable(const TorchrunCommand& command, const std::vector<std::string>& env,
                            TorchVersion want, std::string* why) {
  const std::string interpreter = LauncherInterpreter(command, env, why);
  if (interpreter.empty()) return false;
  const Found found = Probe(interpreter);
  if (found.verdict != Verdict::kNoTorch && want == TorchVersion::kTorch2 && found.major < 2) {
    if (why) {
      *why = interpreter + " has torch 1.x, and the run asks for torch 2 (--torch-version 2)";
    }
    return false;
  }
  switch (found.verdict) {
    case Verdict::kUsable:
      return true;
    case Verdict::kStdBug:
      if (WorksAroundStdBug(command, env)) return true;
      if (why) {
        *why = interpreter +
               " has torch's Std.from_str bug (Python 3.11): real torchrun crashes unless "
               "--redirects and --tee (or PET_REDIRECTS and PET_TEE) are 1 or 2, or mappings "
               "that give no existing local rank 0 or 3 (such as 9:1)";
      }
      return false;
    case Verdict::kNoTorch:
      break;
  }
  if (why) *why = interpreter + " cannot import torch.distributed.run";
  return false;
}

}  // namespace ptsim::elastic
