// `note: REGEX`: a note of the run (its text, or the upstream issue it cites)
// matches, e.g. `#3358`.
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/regex_field.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class Note final : public Expectation {
 public:
  RegexField pattern;

  std::string Describe() const override { return fmt::format("a note matches /{}/", pattern.text); }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = fmt::format("/{}/", pattern.text);
    nlohmann::json notes = nlohmann::json::array();
    for (const auto& n : ReportList(report, "notes")) {
      notes.push_back(StringField(n, "text"));
      if (pattern.Search(StringField(n, "text") + " " + StringField(n, "ref"))) v.passed = true;
    }
    v.actual = notes;
    return v;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeNote(ExpectationInput& in) {
  auto e = std::make_unique<Note>();
  ReadRegex(in.entry, in.key, &e->pattern);
  if (e->pattern.text.empty() && !in.value.IsSequence() && !in.value.IsMap()) {
    in.ctx.Error(in.value, in.path, "give a regular expression, e.g. `note: '#3358'`");
  }
  return e;
}

}  // namespace ptsim::expectations
