// `file: {path, matches?, exists?}`: a file under the run directory exists
// (and has a line matching `matches`), or with `exists: false` does not; a
// claim's files are under volumes/<namespace>/<claimName>/ (docs/volumes.md).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/regex_field.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class File final : public Expectation {
 public:
  std::string path;  // relative to the run directory
  RegexField matches;
  std::optional<bool> exists;

  std::string Describe() const override {
    if (exists && !*exists) return fmt::format("file {} does not exist", path);
    if (!matches.text.empty())
      return fmt::format("file {} has a line matching /{}/", path, matches.text);
    return fmt::format("file {} exists", path);
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = Describe();
    const std::filesystem::path full = std::filesystem::path(StringField(report, "runDir")) / path;
    std::error_code ec;
    const bool present = std::filesystem::is_regular_file(full, ec);
    if (exists && !*exists) {
      v.actual = present ? "exists" : "does not exist";
      v.passed = !present;
    } else if (!present) {
      v.actual = "does not exist";
    } else if (!matches.re) {
      v.actual = "exists";
      v.passed = true;
    } else {
      FirstMatch(full, &v);
    }
    return v;
  }

 private:
  void FirstMatch(const std::filesystem::path& full, Verdict* v) const {
    std::ifstream in(full);
    if (!in) {
      v->actual = "cannot be read";
      return;
    }
    for (std::string line; std::getline(in, line);) {
      if (!matches.Search(line)) continue;
      v->actual = line;
      v->passed = true;
      return;
    }
    v->actual = "no matching line";
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeFile(ExpectationInput& in) {
  auto e = std::make_unique<File>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("path", &e->path, true);
  ReadRegex(m, "matches", &e->matches);
  m.OptBool("exists", &e->exists);
  if (!e->path.empty() && std::filesystem::path(e->path).is_absolute())
    in.ctx.Error(
        m.Get("path"), m.FieldPath("path"),
        "give a path relative to the run directory, e.g. volumes/default/<claim>/result.json");
  return e;
}

}  // namespace ptsim::expectations
