// The citation check: finds, in one file of the repository, every citation a
// reader of the repository cannot follow. ptsim cites upstream files,
// functions and issue numbers, and its own documents by path and heading
// (docs/upstream/training-operator.md#restart-policies); a citation of a
// document outside the repository, or of a path or heading that does not
// exist, is a problem. Pure functions over a Repository; one thread.
//
// What counts as a problem:
//  - a path under a directory named `reference`, or a file named DESIGN with
//    the .md extension: documents that are not in the repository;
//  - a bare section sign followed by a number: a section of no named document;
//  - a repository path (starting with docs/, sim/, fakes/, tools/, scenarios/,
//    tests/, bench/ or cmake/, optionally after "./") that names no file or
//    directory; `*` globs and `{a,b}` alternatives must match something, and a
//    path without an extension may name a source module (`.hpp`/`.cpp`);
//  - `<path>.md#<anchor>` where the document has no heading with that anchor;
//  - a relative Markdown link target, or `#anchor` link, that does not exist;
//  - a bare file name ending in .hpp, .cpp or .md (no directory) that no file
//    in the repository has, except the upstream files ptsim quotes verbatim
//    (kUpstreamFileNames).
#pragma once

#include <string>
#include <vector>

#include "tests/docs/repository.hpp"

namespace ptsim::docs {

struct CitationProblem {
  std::string file;
  int line = 0;
  std::string message;
};

// Bare file names of upstream sources that appear verbatim in ptsim's
// output: torch's c10d socket.cpp prefixes the glog lines the emulated
// agent prints.
inline const std::vector<std::string> kUpstreamFileNames = {"socket.cpp"};

// The problems of repository file `path`, whose contents are `text`.
std::vector<CitationProblem> CheckCitations(const Repository& repo, const std::string& path,
                                            const std::string& text);

}  // namespace ptsim::docs
