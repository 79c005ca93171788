#include "tools/ptsim/output_paths.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <utility>
#include <vector>

namespace ptsim::cli {
namespace fs = std::filesystem;

std::string ParentOf(const std::string& path) {
  const fs::path file(path);
  return file.has_parent_path() ? file.parent_path().string() : ".";
}

namespace {

// Why files cannot be made in `dir` once its missing directories are: the
// nearest part of it that exists is not a directory, or not writable; "" when
// they can.
std::string DirectoryProblem(const std::string& dir) {
  std::error_code ec;
  fs::path existing = fs::absolute(dir, ec);
  while (!fs::exists(existing, ec) && existing.has_parent_path() &&
         existing != existing.parent_path()) {
    existing = existing.parent_path();
  }
  if (!fs::is_directory(existing, ec)) return existing.string() + " is not a directory";
  if (::access(existing.c_str(), W_OK | X_OK) != 0) {
    return fmt::format("cannot write in {}: {}", existing.string(), std::strerror(errno));
  }
  return "";
}

}  // namespace

std::string CheckOutputDir(const std::string& flag, const std::string& path) {
  const std::string problem = DirectoryProblem(path);
  return problem.empty() ? "" : fmt::format("{} {}: {}", flag, path, problem);
}

std::string CheckOutputFile(const std::string& flag, const std::string& path) {
  std::error_code ec;
  if (path.empty() || fs::is_directory(path, ec)) {
    return fmt::format("{} {}: give the path of a file{}", flag, path,
                       path.empty() ? "" : ", not of a directory");
  }
  if (const std::string problem = DirectoryProblem(ParentOf(path)); !problem.empty()) {
    return fmt::format("{} {}: {}", flag, path, problem);
  }
  if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0) {
    return fmt::format("{} {}: cannot write it: {}", flag, path, std::strerror(errno));
  }
  return "";
}

std::string MakeDirectories(const std::string& flag, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fmt::format("{}: cannot create the directory {}: {}", flag, dir, ec.message());
  return "";
}

// Every output path is usable before anything runs; then the missing
// directories are made.
bool PrepareOutputs(const RunOptions& options) {
  std::vector<std::string> problems;
  std::vector<std::pair<std::string, std::string>> dirs;  // flag, directory to make
  const std::pair<const char*, const std::string*> files[] = {{"--json", &options.json_path},
                                                              {"--junit", &options.junit_path},
                                                              {"--html", &options.html_path}};
  for (const auto& [flag, path] : files) {
    if (path->empty()) continue;
    if (auto p = CheckOutputFile(flag, *path); !p.empty()) problems.push_back(p);
    dirs.emplace_back(flag, ParentOf(*path));
  }
  if (auto p = CheckOutputDir("--runs-dir", options.runs_dir); !p.empty()) problems.push_back(p);
  dirs.emplace_back("--runs-dir", options.runs_dir);
  if (problems.empty()) {
    for (const auto& [flag, dir] : dirs) {
      if (auto p = MakeDirectories(flag, dir); !p.empty()) problems.push_back(p);
    }
  }
  for (const auto& p : problems)
    std::cerr << "ptsim: " << p << "\n";
  if (!problems.empty()) std::cerr << "ptsim: nothing was run\n";
  return problems.empty();
}

}  // namespace ptsim::cli
