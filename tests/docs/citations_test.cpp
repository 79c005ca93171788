// Every citation in the repository can be followed: no file cites a document
// outside the repository (the design and reference notes it was built from), a bare section
// number, or a repository path or Markdown heading that does not exist
// (tests/docs/citation_check.hpp has the rules). The first test checks the
// whole tree, except this file, whose made-up trees cite files the repository
// does not have; the others pin the checker's rules on those trees. The
// forbidden spellings are assembled at run time, so that a search of the
// sources for them finds none here either.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "tests/docs/citation_check.hpp"
#include "tests/docs/repository.hpp"

namespace ptsim::docs {
namespace {

const std::string kSection = "\xc2\xa7";  // the section sign
const std::string kReference = std::string("refer") + "ence/";
const std::string kDesign = std::string("DESIGN") + ".md";
const std::string kBenchScript = std::string("tools/bench") + ".sh";
const std::string kFaultsDoc = std::string("docs/faults") + ".md";
const std::string kDeletionHeader = std::string("pod_deletion") + ".hpp";
const std::string kTrainerV2 = std::string("trainer-v2") + ".md";

// A small tree: a document with headings, a source module, a scenario.
Repository Tree(const std::string& path, const std::string& text) {
  std::map<std::string, std::string> files = {
      {"docs/upstream/operator.md",
       "# Operator\n\n## Restart policies\n\n### ExitCode: the 0xbeef "
       "sentinel\n\n```\n# not a heading\n```\n## Restart policies\n"},
      {"docs/guide.md", "# Guide\n"},
      {"fakes/operator/controller.hpp", ""},
      {"fakes/operator/controller.cpp", ""},
      {"scenarios/ttl.yaml", ""},
  };
  files[path] = text;
  return Repository::FromFiles(std::move(files));
}

std::vector<std::string> Problems(const std::string& path, const std::string& text) {
  const Repository repo = Tree(path, text);
  std::vector<std::string> out;
  for (const auto& p : CheckCitations(repo, path, text))
    out.push_back(fmt::format("{}: {}", p.line, p.message));
  return out;
}

}  // namespace

TEST_CASE("every tracked file cites only documents, paths and headings that exist") {
  const Repository repo = Repository::Open(PTSIM_SOURCE_DIR);
  REQUIRE(repo.IsFile("docs/upstream/training-operator.md"));
  std::vector<std::string> problems;
  for (const auto& path : repo.files()) {
    if (path == "tests/docs/citations_test.cpp") continue;  // made-up trees, see above
    const std::string text = repo.Read(path);
    if (text.find('\0') != std::string::npos) continue;  // binary
    for (const auto& p : CheckCitations(repo, path, text))
      problems.push_back(fmt::format("{}:{}: {}", p.file, p.line, p.message));
  }
  INFO(fmt::format("{}", fmt::join(problems, "\n")));
  CHECK(problems.empty());
}

TEST_CASE("a document outside the repository is a problem, wherever it is cited") {
  CHECK(
      Problems("fakes/operator/controller.cpp", "// see " + kReference + "operator.md\n").size() ==
      1);
  CHECK(Problems("scenarios/ttl.yaml", "description: >-\n  as " + kDesign + " says\n") ==
        std::vector<std::string>{"2: cites " + kDesign +
                                 ", which is not in the repository: cite docs/ARCHITECTURE.md"});
  // Part of a URL or of an upstream path is not a citation of ours.
  CHECK(Problems("docs/guide.md",
                 "https://example.org/" + kReference + "x and pkg/" + kReference + "y.go\n")
            .empty());
}

TEST_CASE("a bare section number is a problem") {
  CHECK(Problems("fakes/operator/controller.cpp", "// (operator " + kSection + "4.4)\n").size() ==
        1);
  CHECK(Problems("fakes/operator/controller.cpp", "// quirk " + kSection + " 15\n").size() == 1);
  CHECK(Problems("fakes/operator/controller.cpp", "// the sign " + kSection + " alone\n").empty());
}

TEST_CASE("repository paths must exist, as files, directories, modules or globs") {
  const std::string ok =
      "// fakes/operator/controller.cpp, fakes/operator/controller (a module), fakes/operator/,\n"
      "// ./fakes/operator/controller.hpp, fakes/operator/controller.{hpp,cpp}, scenarios/*.yaml,\n"
      "// tests/<dir> (a placeholder after tests/), and the end of a sentence: docs/guide.md.\n";
  CHECK(Problems("tests/x_test.cpp", ok).empty());
  CHECK(Problems("docs/guide.md", "Run " + kBenchScript + ", then read " + kFaultsDoc + ".\n") ==
        std::vector<std::string>{
            "1: cites " + kBenchScript + ", which does not exist in the repository",
            "1: cites " + kFaultsDoc + ", which does not exist in the repository"});
  CHECK(Problems("docs/guide.md", "fakes/operator/controller.{hpp,go} and scenarios/*.json\n")
            .size() == 2);
  // Upstream paths that happen to start like ours are not ours.
  CHECK(Problems("docs/guide.md", "flyte@master:docs/deployment/index.rst, site/docs/x\n").empty());
}

TEST_CASE("a cited heading must exist in the cited document") {
  CHECK(Problems("fakes/operator/controller.cpp",
                 "// docs/upstream/operator.md#restart-policies and "
                 "docs/upstream/operator.md#restart-policies-1 and "
                 "docs/upstream/operator.md#exitcode-the-0xbeef-sentinel\n")
            .empty());
  // "# not a heading" is in a fenced code block of operator.md: not a heading.
  CHECK(Problems("fakes/operator/controller.cpp", "// docs/upstream/operator.md#not-a-heading\n") ==
        std::vector<std::string>{"1: cites docs/upstream/operator.md#not-a-heading, but "
                                 "docs/upstream/operator.md has no heading with that anchor"});
}

TEST_CASE("relative Markdown links must reach a file and, with an anchor, a heading") {
  CHECK(Problems("docs/upstream/x.md",
                 "[a](operator.md#restart-policies), [b](../guide.md), [c](#top), "
                 "[d](https://example.org/missing.md)\n\n# Top\n")
            .empty());
  CHECK(Problems("docs/upstream/x.md", "[a](missing.md) and [b](../guide.md#nope)\n").size() == 2);
}

TEST_CASE("a bare source or document name must be the name of a file of the repository") {
  CHECK(Problems("fakes/operator/controller.cpp",
                 "// controller.hpp, guide.md, asio/awaitable.hpp, socket.cpp:426\n")
            .empty());
  CHECK(Problems("fakes/operator/controller.cpp", "// deletion in " + kDeletionHeader + "\n") ==
        std::vector<std::string>{"1: cites " + kDeletionHeader +
                                 ", but no file of the repository has that name"});
  CHECK(Problems("fakes/operator/controller.cpp", "// " + kTrainerV2 + "\n").size() == 1);
}

TEST_CASE("GitHub heading anchors drop punctuation and number repeats") {
  CHECK(HeadingAnchor("Validation in the v1.7.0 controller") ==
        "validation-in-the-v170-controller");
  CHECK(HeadingAnchor("The `--fault` flag") == "the---fault-flag");
  CHECK(HeadingAnchor("Outputs: PTSIM_FLYTE_OUTPUT_DIR") == "outputs-ptsim_flyte_output_dir");
  CHECK(HeadingAnchor("Ports \xe2\x80\x94 and addresses") == "ports--and-addresses");
  CHECK(HeadingAnchors("# A\n## A\n```\n# A\n```\n### A #\n") ==
        std::set<std::string>{"a", "a-1", "a-2"});
}

}  // namespace ptsim::docs
