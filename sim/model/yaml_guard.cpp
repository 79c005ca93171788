#include "sim/model/yaml_guard.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

namespace ptsim {
namespace {

// Node counts saturate here: an alias bomb's expansion overflows any integer.
constexpr double kSaturated = 1e18;

// go-yaml v2.2.8 decode.go allowedAliasRatio: up to 99% of the decoded nodes
// may come from alias expansion in small documents, scaling down to 10% at
// 4,000,000 decode operations.
double AllowedAliasRatio(double decodes) {
  constexpr double kLow = 400'000;
  constexpr double kHigh = 4'000'000;
  if (decodes <= kLow) return 0.99;
  if (decodes >= kHigh) return 0.10;
  return 0.99 - 0.89 * ((decodes - kLow) / (kHigh - kLow));
}

struct Stop {
  YAML::Mark mark;
  std::string message;
};

class GuardHandler : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    // LoadAll's loop makes no progress when a document starts where the
    // previous one did: the token there is never consumed.
    if (documents_ > 0 && mark.pos == last_start_) {
      throw Stop{mark, "did not find expected node content"};
    }
    ++documents_;
    last_start_ = mark.pos;
    anchors_.clear();
    frames_.clear();
    decodes_ = 0;
    aliased_ = 0;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Count(mark);
    for (const Frame& f : frames_) {
      if (f.anchor == anchor && anchor != YAML::NullAnchor) {
        throw Stop{mark, "anchor value contains itself (an alias inside the node it names)"};
      }
    }
    const auto it = anchors_.find(anchor);
    const double size = it == anchors_.end() ? 1 : it->second;
    decodes_ = std::min(kSaturated, decodes_ + 1 + size);
    aliased_ = std::min(kSaturated, aliased_ + size);
    Add(size);
    CheckAliasing(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YAML::anchor_t anchor;
    double size;  // nodes a walk of this collection visits, aliases expanded
    YAML::Mark mark;
  };

  void Count(const YAML::Mark& mark) {
    if (++nodes_ > kMaxYamlNodes) {
      throw Stop{mark, fmt::format("more than {} YAML nodes in one file, ptsim's limit; split the "
                                   "file",
                                   kMaxYamlNodes)};
    }
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Count(mark);
    decodes_ = std::min(kSaturated, decodes_ + 1);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = 1;
    Add(1);
    CheckAliasing(mark);
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Count(mark);
    decodes_ = std::min(kSaturated, decodes_ + 1);
    frames_.push_back({anchor, 1, mark});
  }
  void Close() {
    if (frames_.empty()) return;
    const Frame f = frames_.back();
    frames_.pop_back();
    if (f.anchor != YAML::NullAnchor) anchors_[f.anchor] = f.size;
    Add(f.size);
  }
  void Add(double size) {
    if (!frames_.empty()) frames_.back().size = std::min(kSaturated, frames_.back().size + size);
  }
  void CheckAliasing(const YAML::Mark& mark) const {
    if (aliased_ > 100 && decodes_ > 1000 && aliased_ / decodes_ > AllowedAliasRatio(decodes_)) {
      throw Stop{mark,
                 "document contains excessive aliasing: expanding its aliases would visit "
                 "too many nodes (the rule of go-yaml, which kubectl and the API server use)"};
    }
  }

  int documents_ = 0;
  int last_start_ = -1;
  std::size_t nodes_ = 0;
  double decodes_ = 0;
  double aliased_ = 0;
  std::map<YAML::anchor_t, double> anchors_;
  std::vector<Frame> frames_;
};

}  // namespace

bool CheckYamlStream(const std::string& text, const std::string& path, Diagnostics* diagnostics) {
  std::istringstream in(text);
  GuardHandler handler;
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(handler)) {
    }
  } catch (const Stop& stop) {
    diagnostics->Error({path, stop.mark.line + 1, stop.mark.column + 1}, "", "",
                       fmt::format("malformed YAML/JSON: {}", stop.message));
    return false;
  } catch (const YAML::Exception& e) {
    diagnostics->Error({path, e.mark.line + 1, e.mark.column + 1}, "", "",
                       fmt::format("malformed YAML/JSON: {}", e.msg));
    return false;
  }
  return true;
}

}  // namespace ptsim
