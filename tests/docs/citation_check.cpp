#include "tests/docs/citation_check.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ptsim::docs {
namespace {

// The top-level directories whose paths ptsim's files cite.
constexpr std::string_view kRoots[] = {"docs",      "sim",   "fakes", "tools",
                                       "scenarios", "tests", "bench", "cmake"};

bool IsPathChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' ||
         c == '-' || c == '*' || c == '+';
}
bool IsAnchorChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}
// A character that, right before a path, makes it part of something longer
// (an upstream path, a URL, "repo@ref:path", a longer word).
bool ContinuesPath(char c) {
  return IsNameChar(c) || c == '.' || c == '/' || c == ':' || c == '@';
}

// Line numbers by offset.
class Lines {
 public:
  explicit Lines(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  int At(std::size_t offset) const {
    return static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), offset) -
                            starts_.begin());
  }

 private:
  std::vector<std::size_t> starts_{0};
};

// "a/{b,c}/d" -> "a/b/d", "a/c/d" (groups may repeat).
std::vector<std::string> ExpandBraces(const std::string& path) {
  const std::size_t open = path.find('{');
  const std::size_t close = open == std::string::npos ? open : path.find('}', open);
  if (close == std::string::npos) return {path};
  std::vector<std::string> out;
  const std::string head = path.substr(0, open);
  const std::string tail = path.substr(close + 1);
  const std::string body = path.substr(open + 1, close - open - 1);
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t comma = body.find(',', start);
    if (comma == std::string::npos) comma = body.size();
    for (auto& e : ExpandBraces(head + body.substr(start, comma - start) + tail))
      out.push_back(std::move(e));
    start = comma + 1;
  }
  return out;
}

bool PathExists(const Repository& repo, std::string path) {
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  for (const auto& alt : ExpandBraces(path)) {
    const bool found = alt.find('*') != std::string::npos
                           ? repo.MatchesAny(alt)
                           : repo.IsFile(alt) || repo.IsDirectory(alt) ||
                                 repo.IsFile(alt + ".hpp") || repo.IsFile(alt + ".cpp");
    if (!found) return false;
  }
  return true;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A link target relative to the file it is in, with "." and ".." resolved.
std::string Resolve(const std::string& from_file, const std::string& target) {
  std::vector<std::string> parts;
  const std::size_t slash = from_file.rfind('/');
  std::string base = slash == std::string::npos ? "" : from_file.substr(0, slash);
  std::string joined = base.empty() ? target : base + "/" + target;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : "/") + p;
  return out;
}

class Checker {
 public:
  Checker(const Repository& repo, const std::string& path, std::string_view text)
      : repo_(repo), path_(path), text_(text), lines_(text) {}

  std::vector<CitationProblem> Run() {
    ForeignDocuments();
    RepositoryPaths();
    BareFileNames();
    if (EndsWith(path_, ".md")) MarkdownLinks();
    std::sort(problems_.begin(), problems_.end(),
              [](const CitationProblem& a, const CitationProblem& b) { return a.line < b.line; });
    return problems_;
  }

 private:
  void Report(std::size_t offset, std::string message) {
    problems_.push_back({path_, lines_.At(offset), std::move(message)});
  }

  bool AnchorExists(const std::string& md, const std::string& anchor) {
    return repo_.Anchors(md).count(anchor) > 0;
  }

  void ForeignDocuments() {
    // Spelled in two pieces, so that this file does not contain what it looks for.
    const std::string foreign_dir = std::string("refer") + "ence/";
    const std::string design = std::string("DESIGN") + ".md";
    for (std::size_t at = text_.find(foreign_dir); at != std::string_view::npos;
         at = text_.find(foreign_dir, at + 1)) {
      if (at > 0 && ContinuesPath(text_[at - 1])) continue;  // a URL or an upstream path
      Report(at, "cites a document under " + foreign_dir +
                     ", which is not in the repository: cite the upstream source or "
                     "docs/upstream/");
    }
    for (std::size_t at = text_.find(design); at != std::string_view::npos;
         at = text_.find(design, at + 1)) {
      Report(at, "cites " + design + ", which is not in the repository: cite docs/ARCHITECTURE.md");
    }
    constexpr std::string_view kSection = "\xc2\xa7";
    for (std::size_t at = text_.find(kSection); at != std::string_view::npos;
         at = text_.find(kSection, at + 1)) {
      std::size_t i = at + kSection.size();
      while (i < text_.size() && text_[i] == ' ')
        ++i;
      if (i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]))) {
        Report(at,
               "cites a bare section number, of no document a reader can open: cite the "
               "document's path and heading (docs/upstream/<doc>.md#<anchor>)");
      }
    }
  }

  void RepositoryPaths() {
    for (std::size_t i = 0; i < text_.size(); ++i) {
      std::size_t begin = i;
      if (text_.compare(i, 2, "./") == 0) begin = i + 2;
      if (i > 0 && ContinuesPath(text_[i - 1])) continue;
      bool rooted = false;
      for (std::string_view root : kRoots) {
        if (text_.compare(begin, root.size(), root) == 0 && begin + root.size() < text_.size() &&
            text_[begin + root.size()] == '/') {
          rooted = true;
        }
      }
      if (!rooted) continue;
      // The path: path characters and {a,b} groups.
      std::size_t end = begin;
      while (end < text_.size()) {
        if (IsPathChar(text_[end])) {
          ++end;
        } else if (text_[end] == '{') {
          std::size_t close = end + 1;
          while (close < text_.size() && text_[close] != '}' &&
                 (IsPathChar(text_[close]) || text_[close] == ','))
            ++close;
          if (close >= text_.size() || text_[close] != '}') break;
          end = close + 1;
        } else {
          break;
        }
      }
      std::string path(text_.substr(begin, end - begin));
      std::string anchor;
      if (end < text_.size() && text_[end] == '#') {
        std::size_t a = end + 1;
        while (a < text_.size() && IsAnchorChar(text_[a]))
          ++a;
        anchor = std::string(text_.substr(end + 1, a - end - 1));
      }
      while (!path.empty() && path.back() == '.')
        path.pop_back();  // the end of a sentence
      if (!PathExists(repo_, path)) {
        Report(i, "cites " + path + ", which does not exist in the repository");
      } else if (!anchor.empty() && EndsWith(path, ".md") && !AnchorExists(path, anchor)) {
        Report(i, "cites " + path + "#" + anchor + ", but " + path +
                      " has no heading with that anchor");
      }
      i = end;
    }
  }

  void BareFileNames() {
    for (std::string_view ext :
         {std::string_view(".hpp"), std::string_view(".cpp"), std::string_view(".md")}) {
      for (std::size_t at = text_.find(ext); at != std::string_view::npos;
           at = text_.find(ext, at + 1)) {
        const std::size_t after = at + ext.size();
        if (after < text_.size() && IsNameChar(text_[after])) continue;  // ".mdx", ".cppm"
        std::size_t begin = at;
        while (begin > 0 && IsNameChar(text_[begin - 1]))
          --begin;
        if (begin == at) continue;
        if (begin > 0 && (ContinuesPath(text_[begin - 1]))) continue;       // has a directory
        if (begin > 1 && text_.compare(begin - 2, 2, "](") == 0) continue;  // a link: below
        const std::string name(text_.substr(begin, after - begin));
        // DESIGN's document was reported with the foreign documents already.
        if (repo_.HasBasename(name) || name == std::string("DESIGN") + ".md") continue;
        if (std::find(kUpstreamFileNames.begin(), kUpstreamFileNames.end(), name) !=
            kUpstreamFileNames.end()) {
          continue;
        }
        Report(begin, "cites " + name + ", but no file of the repository has that name");
      }
    }
  }

  void MarkdownLinks() {
    for (std::size_t at = text_.find("]("); at != std::string_view::npos;
         at = text_.find("](", at + 1)) {
      const std::size_t close = text_.find(')', at + 2);
      if (close == std::string_view::npos) break;
      const std::string target(text_.substr(at + 2, close - at - 2));
      if (target.find("://") != std::string::npos || target.rfind("mailto:", 0) == 0 ||
          target.find(' ') != std::string::npos || target.empty()) {
        continue;
      }
      const std::size_t hash = target.find('#');
      const std::string file = target.substr(0, hash);
      const std::string anchor = hash == std::string::npos ? "" : target.substr(hash + 1);
      const std::string resolved = file.empty() ? path_ : Resolve(path_, file);
      if (!repo_.IsFile(resolved) && !repo_.IsDirectory(resolved)) {
        Report(at, "links to " + target + ", but " + resolved + " does not exist");
      } else if (!anchor.empty() && EndsWith(resolved, ".md") && !AnchorExists(resolved, anchor)) {
        Report(at, "links to " + target + ", but " + resolved + " has no heading with that anchor");
      }
    }
  }

  const Repository& repo_;
  const std::string& path_;
  std::string_view text_;
  Lines lines_;
  std::vector<CitationProblem> problems_;
};

}  // namespace

std::vector<CitationProblem> CheckCitations(const Repository& repo, const std::string& path,
                                            const std::string& text) {
  return Checker(repo, path, text).Run();
}

}  // namespace ptsim::docs
