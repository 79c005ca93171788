// torchrun's command line as Python's argparse parses it (run.py
// get_args_parser, argparse_util.py env/check_env, Python 3.11 argparse):
// `--flag value` and `--flag=value`, `-r3`, unique prefixes of long flags
// (`--nproc 2`), the script and everything after it going to the script, and
// every flag's default replaced by PET_<DEST> from the container's
// environment (a flag given on the command line wins). String defaults taken
// from PET_* are type-converted after parsing, as argparse does, so a bad
// PET_MAX_RESTARTS fails like a bad --max_restarts. Errors carry argparse's
// or Python's own message and name the flag or variable. The torch 2 profile
// adds the 2.x flags (--local-ranks-filter, --logs-specs, --numa-binding,
// --signals-to-handle, --shutdown-timeout, --virtual-local-rank, ...) in
// the newest run.py's declaration order, which decides prefix matching;
// torch 1.13 rejects them as unrecognized, as it does. Pure; any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fakes/elastic/torchrun_command.hpp"
#include "fakes/elastic/torchrun_error.hpp"
#include "fakes/elastic/torchrun_profile.hpp"

namespace ptsim::elastic {

// A process environment as a map ("NAME=value" entries; a later duplicate wins).
using EnvMap = std::map<std::string, std::string>;
EnvMap EnvMapOf(const std::vector<std::string>& env);

// The argparse namespace torchrun's main() sees.
struct TorchrunArgs {
  std::string nnodes = "1:1";
  std::string nproc_per_node = "1";
  std::string rdzv_backend = "static";
  std::string rdzv_endpoint;
  std::string rdzv_id = "none";
  std::string rdzv_conf;
  bool standalone = false;
  std::int64_t max_restarts = 0;
  double monitor_interval = 5;
  std::string start_method = "spawn";
  std::string role = "default";
  bool module = false;
  bool no_python = false;
  bool run_path = false;
  std::optional<std::string> log_dir;
  std::string redirects = "0";
  std::string tee = "0";
  std::int64_t node_rank = 0;
  std::string master_addr = "127.0.0.1";
  std::int64_t master_port = 29500;
  // torch 2.x only (run.py get_args_parser of the 2.x line).
  std::string event_log_handler = "null";
  std::string local_ranks_filter;
  std::vector<std::string> duplicate_stdout_filters;
  std::vector<std::string> duplicate_stderr_filters;
  std::optional<std::string> local_addr;
  std::optional<std::string> logs_specs;
  std::optional<std::string> numa_binding;
  std::string signals_to_handle = "SIGTERM,SIGINT,SIGHUP,SIGQUIT";
  std::optional<std::int64_t> shutdown_timeout;
  bool virtual_local_rank = false;
  bool use_env = true;  // torch.distributed.launch: --use_env, default False there
  std::string training_script;
  std::vector<std::string> training_script_args;

  // Where a value came from, by dest: the flag as typed ("--nproc", "-r") or
  // "PET_NNODES". Absent for defaults.
  std::map<std::string, std::string> origin;
  // The flag or variable that set `dest`, or "--<dest>" for a default.
  std::string Origin(const std::string& dest) const;
};

struct ParsedTorchrunArgs {
  std::optional<TorchrunArgs> args;
  std::optional<TorchrunError> error;  // kUsage, kHelp or kException
};

ParsedTorchrunArgs ParseTorchrunArgs(const TorchrunCommand& command, const EnvMap& env,
                                     const TorchrunProfile& profile);

}  // namespace ptsim::elastic
