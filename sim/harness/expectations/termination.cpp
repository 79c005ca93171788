// `termination: {pod, container?, attempt?, reason?, exitCode?, signal?}`: a
// run of the container ended this way (`reason` as in
// lastState.terminated; `signal` a number). `attempt` defaults to the last
// run (report_pods.hpp).
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/expectations/subject.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

int IntOr(const nlohmann::json& run, const char* key, int fallback) {
  return run.contains(key) && run[key].is_number() ? run[key].get<int>() : fallback;
}

class Termination final : public ContainerExpectation {
 public:
  AttemptSelection attempt;
  std::string reason;
  std::optional<int> exit_code;
  std::optional<int> signal;

  std::string Describe() const override {
    std::vector<std::string> parts;
    if (!reason.empty()) parts.push_back("reason " + reason);
    if (exit_code) parts.push_back(fmt::format("exit code {}", *exit_code));
    if (signal) parts.push_back(fmt::format("signal {}", *signal));
    return fmt::format("{} of {} ended with {}", attempt.Describe(true), ref.Describe(),
                       fmt::join(parts, ", "));
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = Describe();
    std::string why;
    const auto runs = ContainerRuns(report, ref, attempt, true, &why);
    nlohmann::json got = nlohmann::json::array();
    for (const nlohmann::json* run : runs) {
      const int sig = IntOr(*run, "signal", 0);
      const int code = IntOr(*run, "exitCode", -1);
      got.push_back(fmt::format("run {}: reason {}, exit code {}, signal {}",
                                run->value("restartCount", nlohmann::json()).dump(),
                                StringField(*run, "reason"),
                                run->value("exitCode", nlohmann::json()).dump(), sig));
      if ((reason.empty() || StringField(*run, "reason") == reason) &&
          (!exit_code || code == *exit_code) && (!signal || sig == *signal)) {
        v.passed = true;
      }
    }
    v.actual = runs.empty() ? nlohmann::json(why) : got;
    return v;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeTermination(ExpectationInput& in) {
  auto e = std::make_unique<Termination>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("pod", &e->ref.pod, true);
  m.String("container", &e->ref.container);
  ReadAttempt(m, &e->attempt);
  m.String("reason", &e->reason);
  std::optional<std::int32_t> v;
  m.OptInt32("exitCode", &v);
  e->exit_code = v;
  v.reset();
  m.OptInt32("signal", &v);
  e->signal = v;
  if (e->reason.empty() && !e->exit_code && !e->signal)
    in.ctx.Error(in.value, in.path, "give reason, exitCode or signal");
  return e;
}

}  // namespace ptsim::expectations
