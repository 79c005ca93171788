#include "tests/docs/repository.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace ptsim::docs {
namespace {

// The files git tracks in `root`, and those it would track (untracked, not
// ignored); false when git is missing or `root` is not a work tree.
bool GitFiles(const std::filesystem::path& root, std::vector<std::string>* out) {
  const std::string command =
      "git -C '" + root.string() + "' ls-files -z --cached --others --exclude-standard 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return false;
  std::string data;
  std::array<char, 65536> buffer;
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0)
    data.append(buffer.data(), n);
  if (::pclose(pipe.release()) != 0) return false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '\0') continue;
    out->push_back(data.substr(start, i - start));
    start = i + 1;
  }
  return !out->empty();
}

// Every file under `root`, skipping what .gitignore leaves out: .git, build
// directories, caches and run directories.
std::vector<std::string> WalkFiles(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::end(it); it.increment(ec)) {
    if (ec) break;
    const std::string rel = fs::relative(it->path(), root, ec).generic_string();
    if (it->is_directory(ec)) {
      const std::string name = it->path().filename().string();
      const bool top = rel.find('/') == std::string::npos;
      if (name == ".git" ||
          (top && (name.rfind("build", 0) == 0 || name == ".cache" || name == "ptsim-runs"))) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (it->is_regular_file(ec)) out.push_back(rel);
  }
  return out;
}

bool IsAnchorChar(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_';
}

}  // namespace

Repository Repository::Open(const std::filesystem::path& root) {
  Repository repo;
  repo.root_ = root;
  std::vector<std::string> files;
  if (!GitFiles(root, &files)) files = WalkFiles(root);
  repo.Index(std::move(files));
  return repo;
}

Repository Repository::FromFiles(std::map<std::string, std::string> files) {
  Repository repo;
  std::vector<std::string> paths;
  for (const auto& [path, text] : files)
    paths.push_back(path);
  repo.memory_ = std::move(files);
  repo.Index(std::move(paths));
  return repo;
}

void Repository::Index(std::vector<std::string> files) {
  std::sort(files.begin(), files.end());
  files_ = std::move(files);
  for (const auto& f : files_) {
    file_set_.insert(f);
    basenames_.insert(f.substr(f.rfind('/') + 1));
    for (std::size_t slash = f.find('/'); slash != std::string::npos;
         slash = f.find('/', slash + 1)) {
      dirs_.insert(f.substr(0, slash));
    }
  }
}

bool Repository::MatchesAny(std::string_view pattern) const {
  // Glob with '*' not crossing '/', by backtracking over the last star.
  auto match = [](std::string_view p, std::string_view s) {
    std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
    while (si < s.size()) {
      if (pi < p.size() && p[pi] == '*') {
        star = pi++;
        mark = si;
      } else if (pi < p.size() && p[pi] == s[si]) {
        ++pi;
        ++si;
      } else if (star != std::string_view::npos && s[mark] != '/') {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.size() && p[pi] == '*')
      ++pi;
    return pi == p.size();
  };
  return std::any_of(files_.begin(), files_.end(),
                     [&](const std::string& f) { return match(pattern, f); });
}

std::string Repository::Read(const std::string& path) const {
  if (root_.empty()) {
    auto it = memory_.find(path);
    return it == memory_.end() ? std::string() : it->second;
  }
  std::ifstream in(root_ / path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::set<std::string>& Repository::Anchors(const std::string& path) const {
  auto it = anchors_.find(path);
  if (it == anchors_.end()) it = anchors_.emplace(path, HeadingAnchors(Read(path))).first;
  return it->second;
}

std::string HeadingAnchor(std::string_view heading) {
  std::string out;
  for (std::size_t i = 0; i < heading.size(); ++i) {
    const auto c = static_cast<unsigned char>(heading[i]);
    if (c < 0x80) {
      if (IsAnchorChar(c)) out += static_cast<char>(std::tolower(c));
      if (c == ' ') out += '-';
      continue;
    }
    // A UTF-8 sequence: letters stay; the punctuation of U+2000-U+206F (dashes,
    // quotes, ellipsis) and of U+00A0-U+00BF goes, as GitHub drops it.
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    len = std::min(len, heading.size() - i);
    const std::string_view seq = heading.substr(i, len);
    const bool general_punctuation =
        len == 3 && c == 0xE2 && (static_cast<unsigned char>(seq[1]) & 0xFC) == 0x80;
    const bool latin1_punctuation = len == 2 && c == 0xC2;
    if (!general_punctuation && !latin1_punctuation) out += seq;
    i += len - 1;
  }
  return out;
}

std::set<std::string> HeadingAnchors(std::string_view markdown) {
  std::set<std::string> out;
  std::map<std::string, int> seen;
  bool fenced = false;
  std::size_t start = 0;
  while (start <= markdown.size()) {
    std::size_t end = markdown.find('\n', start);
    if (end == std::string_view::npos) end = markdown.size();
    std::string_view line = markdown.substr(start, end - start);
    start = end + 1;
    if (line.rfind("```", 0) == 0 || line.rfind("~~~", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (fenced || line.empty() || line[0] != '#') continue;
    std::size_t level = line.find_first_not_of('#');
    if (level == std::string_view::npos || level > 6 || line[level] != ' ') continue;
    std::string_view text = line.substr(level + 1);
    while (!text.empty() && (text.back() == '#' || text.back() == ' ' || text.back() == '\r'))
      text.remove_suffix(1);
    const std::string anchor = HeadingAnchor(text);
    const int n = seen[anchor]++;
    out.insert(n == 0 ? anchor : anchor + "-" + std::to_string(n));
  }
  return out;
}

}  // namespace ptsim::docs
