// The subcommands of the `ptsim` executable. Each returns the process exit
// status: 0 success, 1 an expectation failed (or a run did not finish), 2
// invalid input. The command line is parsed in main.cpp, with the flags of
// each subcommand registered beside it (run_command_line.hpp,
// view_commands.hpp, flyte_command.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ptsim::cli {

struct RunOptions {
  std::vector<std::string> files;
  std::string json_path;
  std::string junit_path;
  std::string html_path;
  std::string runs_dir = "ptsim-runs";
  std::string timeout;
  std::string operator_version;
  std::string trainer_version;  // --trainer-version
  std::string torchrun;
  std::string torch_version;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> faults;
  std::vector<std::string> images;              // --image 'REF={...}'
  std::vector<std::string> image_files;         // --images FILE
  std::vector<std::string> allowed_host_paths;  // --allow-host-path PREFIX
  int jobs = 1;
  int repeat = 1;
  std::string container_log_max_size = "10Mi";  // as the kubelet's flag
  int container_log_max_files = 5;
  bool quiet = false;
  bool print_trace = false;
  bool no_timeline = false;
};

// `ptsim logs RUN POD|pod/POD|job/NAME ...`, as kubectl logs (logs_command.cpp).
struct LogsOptions {
  std::string run;
  std::string target;  // POD, pod/POD, job/NAME or pytorchjob/NAME
  std::string container;
  std::string runs_dir = "ptsim-runs";
  bool previous = false;
  bool all_containers = false;
  bool timestamps = false;
  bool follow = false;
  int tail = -1;
  std::optional<int> incarnation;  // 1 = the first created, -1 = the newest
  std::string pod_uid;
};

// `ptsim describe RUN TYPE/NAME`, as kubectl describe (describe_command.cpp).
struct DescribeOptions {
  std::string run;
  std::string target;
  std::string runs_dir = "ptsim-runs";
  std::optional<int> incarnation;
  std::string pod_uid;
};

// `ptsim events RUN [--for TYPE/NAME] [--types T,...]`, as kubectl events
// (events_command.cpp).
struct EventsOptions {
  std::string run;
  std::string for_object;
  std::vector<std::string> types;
  std::string runs_dir = "ptsim-runs";
};

int Run(const RunOptions& options);
int Logs(const LogsOptions& options);
int Describe(const DescribeOptions& options);
int Events(const EventsOptions& options);

// The environment every container inherits from ptsim (PATH, HOME, LANG, ...
// and the names listed in PTSIM_INHERIT_ENV).
std::vector<std::string> InheritedEnvironment();

}  // namespace ptsim::cli
