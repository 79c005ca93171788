#include "fakes/process/process_tree.hpp"

#include <signal.h>

#include <map>

namespace ptsim {

std::vector<int> Descendants(int root, const std::vector<ProcInfo>& procs) {
  std::multimap<int, int> children;  // ppid -> pid
  for (const auto& p : procs)
    children.emplace(p.ppid, p.pid);
  std::vector<int> out;
  std::vector<int> todo{root};
  while (!todo.empty()) {
    const int parent = todo.back();
    todo.pop_back();
    auto [begin, end] = children.equal_range(parent);
    for (auto it = begin; it != end; ++it) {
      if (it->second == root) continue;
      out.push_back(it->second);
      todo.push_back(it->second);
    }
  }
  return out;
}

int KillDescendantsOnce(int root) {
  int n = 0;
  for (int pid : Descendants(root, ListProcesses())) {
    if (::kill(pid, SIGKILL) == 0) ++n;
  }
  return n;
}

int KillAndReapDescendants() {
  return KillAndReapDescendants([](int, int) {});
}

}  // namespace ptsim
