// `log: {pod, container?, attempt?, matches, equals/min/max?}`: lines of the
// container's log match the regular expression, at least one or a count
// within bounds. It reads what the kubelet keeps of the log: its rotated
// files, oldest first, then the current one (container_log.hpp). `attempt`
// defaults to any run (report_pods.hpp).
#include <fmt/format.h>

#include <fstream>

#include "fakes/process/container_log.hpp"
#include "sim/harness/expectations/count_bounds.hpp"
#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/regex_field.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/expectations/subject.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

// Lines matching `re` in the kept files of the log at `path`; nullopt when
// there is no log at all. A file a rotation deleted in between is skipped.
std::optional<std::vector<std::string>> MatchingLogLines(const std::string& path,
                                                         const RegexField& re) {
  const auto files = KeptLogFiles(path);
  if (files.empty()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& file : files) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      if (re.Search(line)) out.push_back(line);
    }
  }
  return out;
}

class Log final : public ContainerExpectation {
 public:
  AttemptSelection attempt;
  RegexField matches;
  CountBounds bounds;

  std::string Describe() const override {
    std::string d = fmt::format("the log of {} of {} has lines matching /{}/",
                                attempt.Describe(false), ref.Describe(), matches.text);
    if (bounds.given()) d += fmt::format(", count {}", bounds.Describe());
    return d;
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = Describe();
    std::string why;
    const auto runs = ContainerRuns(report, ref, attempt, false, &why);
    if (runs.empty()) {
      v.actual = why;
      return v;
    }
    int count = 0;
    nlohmann::json got = nlohmann::json::array();
    for (const nlohmann::json* run : runs) {
      const std::string n = run->value("restartCount", nlohmann::json()).dump();
      const std::string path = StringField(*run, "log");
      auto lines = path.empty() ? std::nullopt : MatchingLogLines(path, matches);
      if (!lines) {
        got.push_back(fmt::format("run {}: no log", n));
        continue;
      }
      count += static_cast<int>(lines->size());
      for (const auto& l : *lines) {
        if (got.size() < 5) got.push_back(fmt::format("run {}: {}", n, l));
      }
    }
    v.actual = got.empty() ? nlohmann::json("no matching line") : got;
    v.passed = bounds.given() ? bounds.Contains(count) : count > 0;
    return v;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeLog(ExpectationInput& in) {
  auto e = std::make_unique<Log>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("pod", &e->ref.pod, true);
  m.String("container", &e->ref.container);
  ReadAttempt(m, &e->attempt);
  ReadRegex(m, "matches", &e->matches);
  if (e->matches.text.empty())
    in.ctx.Error(in.value, in.path, "give matches: a regular expression");
  ReadBounds(m, &e->bounds);
  return e;
}

}  // namespace ptsim::expectations
