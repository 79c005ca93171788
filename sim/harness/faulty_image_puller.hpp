// An ImagePuller wrapper with fault knobs: pulls for pods matching a rule fail
// (ErrImagePull, then ImagePullBackOff as the kubelet backs off) or take a
// while (slow start), until the rule is cleared or its count runs out. It
// forwards every other pull to the puller it wraps. Loop thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "fakes/kubelet/images.hpp"

namespace ptsim {

class FaultyImagePuller final : public ImagePuller {
 public:
  struct Rule {
    std::string name;  // the fault's name; Clear() removes by name
    std::function<bool(const Pod&, const Container&)> matches;
    std::string error;  // non-empty: the pull fails with this message
    Duration delay{0};  // otherwise the pull takes this long
    int remaining = 0;  // 0: until cleared
  };

  explicit FaultyImagePuller(ImagePuller& inner) : inner_(inner) {}

  PullOutcome Pull(const Pod& pod, const Container& container) override {
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
      if (!it->matches(pod, container)) continue;
      PullOutcome out{it->delay, it->error};
      if (it->remaining > 0 && --it->remaining == 0) rules_.erase(it);
      return out;
    }
    return inner_.Pull(pod, container);
  }

  void Add(Rule rule) { rules_.push_back(std::move(rule)); }
  void Clear(const std::string& name) {
    std::erase_if(rules_, [&](const Rule& r) { return r.name == name; });
  }

 private:
  ImagePuller& inner_;
  std::vector<Rule> rules_;
};

}  // namespace ptsim
