#include "fakes/elastic/torch_probe.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "fakes/process/real_process_runner.hpp"

namespace ptsim::elastic {

namespace {

// Exit 0: usable; 3: the Std.from_str("0") bug; 4: no torch.distributed.run.
constexpr const char* kProbeScript =
    "import sys\n"
    "try:\n"
    "    import torch.distributed.run\n"
    "    from torch.distributed.elastic.multiprocessing import Std\n"
    "except Exception:\n"
    "    sys.exit(4)\n"
    "sys.exit(0 if Std.from_str('0') is not None else 3)\n";

bool HasFlag(const std::vector<std::string>& args, const std::string& short_flag,
             const std::string& long_flag) {
  for (const auto& a : args) {
    if (a == short_flag || a == long_flag || a.rfind(long_flag + "=", 0) == 0) return true;
    if (a.size() > 2 && a.rfind(short_flag, 0) == 0 && a[1] != '-') return true;  // "-r3"
  }
  return false;
}

bool HasEnv(const std::vector<std::string>& env, const std::string& name) {
  for (const auto& kv : env)
    if (kv.rfind(name + "=", 0) == 0) return true;
  return false;
}

}  // namespace

bool WorksAroundStdBug(const TorchrunCommand& command, const std::vector<std::string>& env) {
  const bool redirects = HasFlag(command.args, "-r", "--redirects") || HasEnv(env, "PET_REDIRECTS");
  const bool tee = HasFlag(command.args, "-t", "--tee") || HasEnv(env, "PET_TEE");
  return redirects && tee;
}

RealTorchProbe::Verdict RealTorchProbe::Probe(const std::string& interpreter) {
  if (auto it = cache_.find(interpreter); it != cache_.end()) return it->second;
  Verdict verdict = Verdict::kNoTorch;
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
      if (WEXITSTATUS(status) == 0) verdict = Verdict::kUsable;
      if (WEXITSTATUS(status) == 3) verdict = Verdict::kStdBug;
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  cache_[interpreter] = verdict;
  return verdict;
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

bool RealTorchProbe::RealTorchrunUsable(const TorchrunCommand& command,
                                        const std::vector<std::string>& env, std::string* why) {
  const std::string interpreter = LauncherInterpreter(command, env, why);
  if (interpreter.empty()) return false;
  switch (Probe(interpreter)) {
    case Verdict::kUsable:
      return true;
    case Verdict::kStdBug:
      if (WorksAroundStdBug(command, env)) return true;
      if (why) {
        *why = interpreter +
               " has torch's Std.from_str bug (Python 3.11): real torchrun crashes "
               "unless --redirects and --tee (or PET_REDIRECTS and PET_TEE) are set";
      }
      return false;
    case Verdict::kNoTorch:
      break;
  }
  if (why) *why = interpreter + " cannot import torch.distributed.run";
  return false;
}

}  // namespace ptsim::elastic
