// Output of one ptsim-worker process. Progress lines go to stdout and error
// lines to stderr as "ptsim-worker: rank R: <message>"; every line is flushed
// at once because supervisors match log lines with regexes while the program
// runs. Owned by the trainer; one thread.
#pragma once

#include <string_view>

namespace ptsim::worker {

class Log {
 public:
  explicit Log(int rank) : rank_(rank) {}

  // One line on stdout.
  void Line(std::string_view text) const;
  // "ptsim-worker: rank R: <text>" on stderr.
  void Error(std::string_view text) const;

 private:
  int rank_;
};

}  // namespace ptsim::worker
