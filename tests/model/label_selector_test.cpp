// Label selectors as apimachinery's labels.Parse reads and matches them
// (sim/model/label_selector.hpp). Cases from
// k8s.io/apimachinery/pkg/labels/selector_test.go (TestSelectorParse,
// TestSelectorMatches) where ptsim supports the operator.
#include "sim/model/label_selector.hpp"

#include <catch2/catch.hpp>

namespace ptsim {
namespace {

LabelSelector Parsed(const char* text) {
  auto s = LabelSelector::Parse(text);
  INFO(text << ": " << s.diagnostics().Render());
  REQUIRE(s.ok());
  return s.value();
}

std::string Rejected(const char* text) {
  auto s = LabelSelector::Parse(text);
  INFO(text);
  REQUIRE_FALSE(s.ok());
  return s.diagnostics().Render();
}

TEST_CASE("TestSelectorParse: valid selectors parse") {
  for (const char* text :
       {"", "x=a,y=b,z=c", "x=a,y!=b", "x=,z= ", "x= ,z= ", "!x", "x", "x in (a,b)", "x notin (a)",
        "x in (a), y", "w in (a) ,z notin (b)", "x==a", " x = a "}) {
    Parsed(text);
  }
}

TEST_CASE("TestSelectorParse: invalid selectors are errors that quote the selector") {
  for (const char* text : {"x=a||y=b", "x==a==b", "!x=a", "x<a", "x in ()", "x in a", "x=a,",
                           ",x=a", "x notin", "=a", "x in (a,b", "-x=a", "x=-a-"}) {
    INFO(text);
    CHECK(Rejected(text).find("invalid label selector") != std::string::npos);
  }
}

TEST_CASE("TestSelectorMatches: equality, inequality, sets and existence") {
  const Labels labels{{"x", "y"}, {"z", "w"}};
  CHECK(Parsed("").Matches(labels));
  CHECK(Parsed("x=y").Matches(labels));
  CHECK(Parsed("x=y,z=w").Matches(labels));
  CHECK(Parsed("x!=z").Matches(labels));
  CHECK(Parsed("notin!=a").Matches(labels));
  CHECK(Parsed("x in (y,q)").Matches(labels));
  CHECK(Parsed("x notin (q)").Matches(labels));
  CHECK(Parsed("x").Matches(labels));
  CHECK(Parsed("!q").Matches(labels));
  CHECK_FALSE(Parsed("x=z").Matches(labels));
  CHECK_FALSE(Parsed("x=y,z=q").Matches(labels));
  CHECK_FALSE(Parsed("x!=y").Matches(labels));
  CHECK_FALSE(Parsed("x in (q)").Matches(labels));
  CHECK_FALSE(Parsed("x notin (y)").Matches(labels));
  CHECK_FALSE(Parsed("q").Matches(labels));
  CHECK_FALSE(Parsed("!x").Matches(labels));
}

TEST_CASE("ToString prints matchLabels with keys sorted, as FormatLabelSelector does") {
  CHECK(LabelSelector::FromLabels({{"b", "2"}, {"a", "1"}}).ToString() == "a=1,b=2");
  CHECK(Parsed("x in (b,a),!y").ToString().find("x in (") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
