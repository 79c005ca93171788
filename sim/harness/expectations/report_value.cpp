// `report: {path, equals?, matches?, min?, max?, exists?}`: a value of the
// JSON report (docs/report.md), addressed by a JSON pointer, equals a YAML
// value, is a string matching a regular expression, a number within bounds,
// or is present (`exists: false`: absent or null).
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/regex_field.hpp"
#include "sim/model/yaml_to_json.hpp"

namespace ptsim::expectations {
namespace {

using nlohmann::json;

class ReportValue final : public Expectation {
 public:
  std::string pointer;
  std::optional<bool> exists;
  std::optional<json> equals;
  RegexField matches;
  std::optional<double> min;
  std::optional<double> max;

  std::string Describe() const override {
    std::vector<std::string> parts;
    if (exists) parts.push_back(*exists ? "exists" : "does not exist");
    if (equals) parts.push_back("= " + equals->dump());
    if (!matches.text.empty()) parts.push_back(fmt::format("matches /{}/", matches.text));
    if (min) parts.push_back(fmt::format(">= {}", *min));
    if (max) parts.push_back(fmt::format("<= {}", *max));
    return fmt::format("report {} {}", pointer, fmt::join(parts, ", "));
  }

  Verdict Check(const json& report) const override {
    Verdict v;
    v.expected = Describe();
    const json::json_pointer at(pointer);
    // The report writes absent values as null.
    if (!report.contains(at) || report.at(at).is_null()) {
      v.actual = "absent";
      v.passed = exists && !*exists;
      return v;
    }
    const json& got = report.at(at);
    v.actual = got;
    v.passed = Holds(got);
    return v;
  }

 private:
  bool Holds(const json& got) const {
    if (exists && !*exists) return false;
    // 1 and 1.0 are the same number in the report.
    if (equals && got != *equals &&
        !(got.is_number() && equals->is_number() && got.get<double>() == equals->get<double>()))
      return false;
    if (matches.re && !(got.is_string() && matches.Search(got.get<std::string>()))) return false;
    if ((min || max) && !got.is_number()) return false;
    if (min && got.get<double>() < *min) return false;
    if (max && got.get<double>() > *max) return false;
    return true;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeReport(ExpectationInput& in) {
  auto e = std::make_unique<ReportValue>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("path", &e->pointer, true);
  try {
    (void)json::json_pointer(e->pointer);
  } catch (const json::exception&) {
    in.ctx.Error(m.Get("path"), m.FieldPath("path"),
                 fmt::format("\"{}\" is not a JSON pointer; write e.g. "
                             "/job/status/replicaStatuses/Worker/failed",
                             e->pointer));
  }
  if (YAML::Node equals = m.Get("equals"); !IsAbsent(equals)) {
    std::string why;
    e->equals = YamlToJson(equals, &why);
    if (!e->equals) in.ctx.Error(equals, m.FieldPath("equals"), why);
  }
  ReadRegex(m, "matches", &e->matches);
  YAML::Node lo = m.Get("min"), hi = m.Get("max");
  double d = 0;
  if (!IsAbsent(lo) && ReadDouble(in.ctx, lo, m.FieldPath("min"), &d)) e->min = d;
  if (!IsAbsent(hi) && ReadDouble(in.ctx, hi, m.FieldPath("max"), &d)) e->max = d;
  m.OptBool("exists", &e->exists);
  if (!e->equals && e->matches.text.empty() && !e->min && !e->max && !e->exists)
    in.ctx.Error(in.value, in.path, "give equals, matches, min, max or exists");
  return e;
}

}  // namespace ptsim::expectations
