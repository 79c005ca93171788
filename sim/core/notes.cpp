#include "sim/core/notes.hpp"

namespace ptsim {

void Notes::Add(Time time, std::string text, std::string ref) {
  notes_.push_back({time, std::move(text), std::move(ref)});
}

void Notes::AddOnce(Time time, std::string text, std::string ref) {
  for (const auto& n : notes_) {
    if (n.ref == ref && n.text == text) return;
  }
  Add(time, std::move(text), std::move(ref));
}

}  // namespace ptsim
