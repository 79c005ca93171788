// Notes a run carries for its user: things worth knowing that are not errors,
// such as "this run went through a known upstream operator bug" with the
// upstream issue number. Actors append; reports print them. Loop thread only.
#pragma once

#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace ptsim {

struct Note {
  Time time;
  std::string text;
  std::string ref;  // e.g. "kubeflow/trainer#3358"; may be empty
};

class Notes {
 public:
  void Add(Time time, std::string text, std::string ref = "");
  // Adds the note only if no note with the same ref and text exists yet.
  void AddOnce(Time time, std::string text, std::string ref = "");
  const std::vector<Note>& list() const { return notes_; }

 private:
  std::vector<Note> notes_;
};

}  // namespace ptsim
