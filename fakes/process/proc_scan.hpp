// Reading /proc: the processes of a process group, their resident memory, the
// processes that carry a given environment marker, a process's children and
// open descriptors. Linux only; every function tolerates processes vanishing
// while it reads.
#pragma once

#include <string>
#include <vector>

namespace ptsim {

struct ProcInfo {
  int pid = 0;
  int ppid = 0;
  int pgid = 0;
  char state = '?';  // R, S, D, Z, T, ...
};

// Every process readable in /proc.
std::vector<ProcInfo> ListProcesses();
std::vector<int> ProcessesInGroup(int pgid);
// Resident set size in bytes (VmRSS), 0 when unknown.
long long ResidentBytes(int pid);
// Processes whose initial environment contains exactly `entry` ("NAME=value").
std::vector<int> ProcessesWithEnv(const std::string& entry);
// Open file descriptors of `pid` (numbers from /proc/<pid>/fd).
std::vector<int> OpenDescriptors(int pid);
// The environment a process started with, as "NAME=value" entries.
std::vector<std::string> InitialEnvironment(int pid);

}  // namespace ptsim
