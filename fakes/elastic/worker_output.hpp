// Where each worker's output goes, as torch's DefaultLogsSpecs.reify and the
// process context route it (elastic/multiprocessing/api.py): --redirects
// sends a local rank's stream to <attempt dir>/<local_rank>/stdout.log
// instead of the console; --tee also copies it to the console, each line
// prefixed "[<role><local_rank>]:" (TailLog's default prefix, or the
// TORCHELASTIC_LOG_LINE_PREFIX_TEMPLATE with ${role_name}, ${rank} and
// ${local_rank}); torch 2's --local-ranks-filter keeps other ranks off the
// console (their files are still written), and --duplicate-stdout-filters
// copies tee'd lines containing any filter to <attempt dir>/filtered_stdout.log.
// ptsim's runners deliver a worker's stdout and stderr as one stream, so the
// stdout rule decides for both (a rank is redirected when its value has the
// stdout bit: 1 or 3); the stderr-only values (2) leave its output on the
// console. Owned by the agent for one worker group; loop thread only.
#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ptsim::elastic {

// Std.from_str + to_map for local ranks 0..nproc-1: the Std bits (1 stdout,
// 2 stderr) of each rank. REQUIRES: `value` passed torch's format check.
std::map<int, int> StdMap(const std::string& value, int nproc);

class WorkerOutput {
 public:
  struct Config {
    std::string redirects = "0";
    std::string tee = "0";
    std::optional<std::set<int>> local_ranks_filter;  // torch 2
    std::vector<std::string> duplicate_stdout_filters;
    std::string role = "default";
    std::string prefix_template;  // TORCHELASTIC_LOG_LINE_PREFIX_TEMPLATE; empty: the default
    std::string attempt_dir;      // empty: no files
    int nproc = 1;
    std::vector<int> global_ranks;  // by local rank, for ${rank}
  };

  explicit WorkerOutput(Config config);
  ~WorkerOutput();
  WorkerOutput(const WorkerOutput&) = delete;
  WorkerOutput& operator=(const WorkerOutput&) = delete;

  // One line from local rank `local_rank`: written where torch writes it;
  // returns the console line, if any.
  std::optional<std::string> Route(int local_rank, std::string_view line);

 private:
  std::FILE* File(std::map<std::string, std::FILE*>& files, const std::string& path);

  Config config_;
  std::map<int, int> redirects_;
  std::map<int, int> tee_;
  std::map<std::string, std::FILE*> files_;
};

}  // namespace ptsim::elastic
