// The files of ptsim's source tree as the citation check sees them: which
// paths exist (files, and directories that hold files), their contents, and
// the heading anchors of the Markdown ones. Open() lists the files git tracks
// or would track (`git ls-files --cached --others --exclude-standard`), or,
// where git cannot answer (an exported tree), every file under the root except
// build and run directories. FromFiles() builds
// one from memory, for the checker's own tests. Read-only after
// construction; one thread.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ptsim::docs {

class Repository {
 public:
  static Repository Open(const std::filesystem::path& root);
  // `files` maps repository paths ("docs/ARCHITECTURE.md") to their contents.
  static Repository FromFiles(std::map<std::string, std::string> files);

  // Repository paths, sorted.
  const std::vector<std::string>& files() const { return files_; }
  bool IsFile(std::string_view path) const { return file_set_.count(std::string(path)) > 0; }
  // A directory that holds at least one file ("docs", "tests/fakes").
  bool IsDirectory(std::string_view path) const { return dirs_.count(std::string(path)) > 0; }
  // Whether some file is named `name`, in any directory.
  bool HasBasename(std::string_view name) const { return basenames_.count(std::string(name)) > 0; }
  // Whether some file matches `pattern`, where `*` stands for any run of
  // characters other than '/'.
  bool MatchesAny(std::string_view pattern) const;
  // The contents of a file; empty when it cannot be read.
  std::string Read(const std::string& path) const;
  // The anchors of a Markdown file's headings (HeadingAnchors of its text).
  const std::set<std::string>& Anchors(const std::string& path) const;

 private:
  void Index(std::vector<std::string> files);

  std::filesystem::path root_;
  std::map<std::string, std::string> memory_;  // FromFiles only
  std::vector<std::string> files_;
  std::set<std::string> file_set_;
  std::set<std::string> dirs_;
  std::set<std::string> basenames_;
  mutable std::map<std::string, std::set<std::string>> anchors_;
};

// The anchors GitHub gives the headings of a Markdown text: each heading
// outside fenced code blocks, lower-cased, with every character that is not a
// letter, a digit, a space, '-' or '_' removed and spaces turned into '-'; a
// repeated anchor gets "-1", "-2", ... appended.
std::set<std::string> HeadingAnchors(std::string_view markdown);
// The anchor of one heading's text (without the leading '#'s), before
// de-duplication.
std::string HeadingAnchor(std::string_view heading);

}  // namespace ptsim::docs
