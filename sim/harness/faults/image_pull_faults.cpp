// Faults on image pulls: image-pull-error (pulls fail: ErrImagePull, then
// ImagePullBackOff) and slow-start (pulls take a while), for the target pods'
// pulls from the firing on, until `duration` ends them
// (docs/scenarios.md#actions). They act through FaultyImagePuller.
#include "sim/harness/faults/fault_families.hpp"
#include "sim/harness/faults/fault_firing.hpp"

namespace ptsim {
namespace {

class ImagePullFaultAction : public FaultAction {
 public:
  FaultScope scope() const override { return FaultScope::kImagePulls; }
  std::vector<std::string_view> options() const override { return {"duration"}; }

  // Installs a rule that later pulls consult; the report lists the target as
  // described, then any pod that matched when it fired.
  std::vector<std::string> Fire(FaultFiring& firing) const final {
    const FaultSpec& f = firing.spec;
    FaultyImagePuller::Rule rule;
    rule.name = f.name;
    rule.matches = [target = f.target](const Pod& pod, const Container& c) {
      return TargetMatchesPod(target, pod) &&
             (target.container.empty() || c.name == target.container);
    };
    Configure(f, &rule);
    firing.puller.Add(rule);
    if (f.duration) {
      FaultyImagePuller& puller = firing.puller;
      firing.sim.loop().After(*f.duration, [&puller, name = f.name] { puller.Clear(name); });
    }
    std::vector<std::string> targets = {f.target.Describe()};
    for (const FaultHit& hit : firing.hits)
      targets.push_back(hit.container.empty() ? hit.pod : hit.pod + "/" + hit.container);
    return targets;
  }

 protected:
  virtual void Configure(const FaultSpec& f, FaultyImagePuller::Rule* rule) const = 0;
};

class ImagePullErrorAction final : public ImagePullFaultAction {
 public:
  std::string_view name() const override { return "image-pull-error"; }
  FaultArgument argument() const override { return FaultArgument::kMessage; }

 protected:
  void Configure(const FaultSpec& f, FaultyImagePuller::Rule* rule) const override {
    rule->error =
        f.message.empty()
            ? "rpc error: code = NotFound desc = failed to pull and unpack image: not found"
            : f.message;
  }
};

class SlowStartAction final : public ImagePullFaultAction {
 public:
  std::string_view name() const override { return "slow-start"; }
  FaultArgument argument() const override { return FaultArgument::kDelay; }

 protected:
  void Configure(const FaultSpec& f, FaultyImagePuller::Rule* rule) const override {
    rule->delay = f.delay;
  }
};

}  // namespace

std::vector<const FaultAction*> ImagePullFaultActions() {
  static const ImagePullErrorAction image_pull_error{};
  static const SlowStartAction slow_start{};
  return {&image_pull_error, &slow_start};
}

}  // namespace ptsim
