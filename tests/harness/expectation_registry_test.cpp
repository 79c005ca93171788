// The table of expectation kinds: every documented kind has a decoder, in
// the documented order, and an entry that is not one kind is refused with
// what to write instead.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "sim/harness/expectations/registry.hpp"
#include "tests/harness/expectation_fixture.hpp"

namespace ptsim::testing {
namespace {

using Catch::Contains;

// The keys of the expectation table in docs/scenarios.md#expectations, in order.
std::vector<std::string> DocumentedKeys() {
  std::ifstream in(std::string(PTSIM_SOURCE_DIR) + "/docs/scenarios.md");
  std::vector<std::string> keys;
  bool in_section = false;
  const std::regex cell("`([A-Za-z]+):");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Expectations";
    if (!in_section || line.rfind("| `", 0) != 0) continue;
    const std::string first = line.substr(0, line.find(" | "));
    for (std::sregex_iterator m(first.begin(), first.end(), cell), end; m != end; ++m) {
      if (std::find(keys.begin(), keys.end(), (*m)[1]) == keys.end()) keys.push_back((*m)[1]);
    }
  }
  return keys;
}

TEST_CASE("the expectation kinds are those docs/scenarios.md documents, in its order") {
  std::vector<std::string> registered;
  for (const auto& k : ExpectationKinds())
    registered.emplace_back(k.key);
  CHECK(DocumentedKeys() == registered);
  CHECK(registered.size() == 22);
}

TEST_CASE("an unknown expectation lists the kinds and suggests the nearest") {
  const std::string errors = DecodeOne("jobdeleted: true").errors;
  CHECK_THAT(errors, Contains("scenario.yaml:1:1: error: expect[0].jobdeleted: unknown expectation "
                              "\"jobdeleted\"; expectations are finalCondition, conditions, "
                              "neverCondition, restartCount,"));
  CHECK_THAT(errors, Contains(", file and report; did you mean \"jobDeleted\"?"));
  CHECK_THAT(DecodeOne("wishes: [pony]").errors, !Contains("did you mean"));
  CHECK_THAT(DecodeOne("job: mnist").errors, !Contains("did you mean"));
}

TEST_CASE("an expectation is one key, and job only beside a job-level kind") {
  CHECK_THAT(DecodeOne("finalCondition: {type: Succeeded}\noutcome: completed").errors,
             Contains("exactly one key (and optionally `job`)"));
  CHECK_THAT(DecodeOne("{}").errors, Contains("exactly one key"));
  CHECK_THAT(DecodeOne("[finalCondition]").errors, Contains("expected a mapping"));
  CHECK_THAT(DecodeOne("restartCount: {pod: p, equals: 0}\njob: mnist").errors,
             Contains("expect[0].job: `job` is for finalCondition, conditions, neverCondition and "
                      "jobDeleted, not restartCount"));
  CHECK_THAT(DecodeOne("finalCondition: {type: Succeeded}\njob: [a]").errors,
             Contains("expect[0].job: expected a string"));
  CHECK_THAT(DecodeOne("finalCondition: {type: Succeeded, colour: red}").errors,
             Contains("expect[0].finalCondition.colour: unknown field \"colour\""));
}

}  // namespace
}  // namespace ptsim::testing
