// The run directory's pod journal, `<run>/pods.jsonl`: one JSON line per pod
// object as the API server created it (namespace, name, uid, createdAt, its
// controller and replica labels), appended and flushed at once. It lets
// `ptsim logs` order the incarnations of a recreated pod (same name, new uid)
// by creation, and find a job's pods, while the run is still being written
// and report.json does not exist yet. Owned by the run; loop thread only.
// A journal that cannot be written is skipped: the run does not depend on it.
#pragma once

#include <cstdio>
#include <memory>
#include <set>
#include <string>

#include "fakes/apiserver/api_server.hpp"

namespace ptsim {

class PodJournal {
 public:
  // Appends to `path` (created empty now) for every pod `api` creates.
  PodJournal(ApiServer& api, const std::string& path);
  ~PodJournal();
  PodJournal(const PodJournal&) = delete;
  PodJournal& operator=(const PodJournal&) = delete;

 private:
  void Append(const Pod& pod);

  std::FILE* file_ = nullptr;
  std::set<std::string> seen_;  // uids already written
};

}  // namespace ptsim
