#include "fakes/process/proc_scan.hpp"

#include <dirent.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

namespace ptsim {
namespace {

bool IsNumber(const char* s) {
  if (*s == '\0') return false;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9') return false;
  }
  return true;
}

std::vector<int> NumericEntries(const std::string& dir) {
  std::vector<int> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    if (IsNumber(e->d_name)) out.push_back(std::atoi(e->d_name));
  }
  ::closedir(d);
  return out;
}

bool ReadStat(int pid, ProcInfo* info) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  // The command name may contain spaces and parentheses; fields follow the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(line.substr(close + 2));
  rest >> info->state >> info->ppid >> info->pgid;
  info->pid = pid;
  return static_cast<bool>(rest);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::vector<ProcInfo> ListProcesses() {
  std::vector<ProcInfo> out;
  for (int pid : NumericEntries("/proc")) {
    ProcInfo info;
    if (ReadStat(pid, &info)) out.push_back(info);
  }
  return out;
}

std::vector<int> ProcessesInGroup(int pgid) {
  std::vector<int> out;
  for (const auto& p : ListProcesses()) {
    if (p.pgid == pgid) out.push_back(p.pid);
  }
  return out;
}

long long ResidentBytes(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6) * 1024;
  }
  return 0;
}

std::vector<std::string> InitialEnvironment(int pid) {
  std::vector<std::string> out;
  const std::string data = ReadAll("/proc/" + std::to_string(pid) + "/environ");
  std::size_t start = 0;
  while (start < data.size()) {
    const std::size_t end = data.find('\0', start);
    out.push_back(data.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::vector<int> ProcessesWithEnv(const std::string& entry) {
  std::vector<int> out;
  for (int pid : NumericEntries("/proc")) {
    const std::string data = ReadAll("/proc/" + std::to_string(pid) + "/environ");
    // Match a whole entry: preceded by start or NUL and followed by NUL or end.
    std::size_t pos = 0;
    while ((pos = data.find(entry, pos)) != std::string::npos) {
      const bool starts = pos == 0 || data[pos - 1] == '\0';
      const std::size_t after = pos + entry.size();
      const bool ends = after == data.size() || data[after] == '\0';
      if (starts && ends) {
        out.push_back(pid);
        break;
      }
      pos = after;
    }
  }
  return out;
}

std::vector<int> OpenDescriptors(int pid) {
  return NumericEntries("/proc/" + std::to_string(pid) + "/fd");
}

}  // namespace ptsim
