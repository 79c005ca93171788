#include "fakes/elastic/worker_output.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace ptsim::elastic {

namespace {

constexpr int kOut = 1;

std::string Substitute(std::string text, const std::string& name, const std::string& value) {
  // string.Template.safe_substitute for ${name} and $name.
  for (const std::string& form : {"${" + name + "}", "$" + name}) {
    for (auto pos = text.find(form); pos != std::string::npos; pos = text.find(form, pos)) {
      text.replace(pos, form.size(), value);
      pos += value.size();
    }
  }
  return text;
}

}  // namespace

std::map<int, int> StdMap(const std::string& value, int nproc) {
  std::map<int, int> out;
  for (int i = 0; i < nproc; ++i)
    out[i] = 0;
  if (value.size() == 1) {
    for (auto& [rank, bits] : out)
      bits = value[0] - '0';
    return out;
  }
  // "0:1,1:2": a local rank missing from the mapping gets NONE.
  for (std::size_t i = 0; i + 2 < value.size(); i += 4) {
    const int rank = value[i] - '0';
    if (rank < nproc) out[rank] = value[i + 2] - '0';
  }
  return out;
}

WorkerOutput::WorkerOutput(Config config)
    : config_(std::move(config)),
      redirects_(StdMap(config_.redirects, config_.nproc)),
      tee_(StdMap(config_.tee, config_.nproc)) {
  // reify: a tee'd stream is also redirected (the file is what the tail reads).
  for (auto& [rank, bits] : redirects_)
    bits |= tee_[rank];
}

WorkerOutput::~WorkerOutput() {
  for (auto& [path, f] : files_)
    if (f) std::fclose(f);
}

std::FILE* WorkerOutput::File(std::map<std::string, std::FILE*>& files, const std::string& path) {
  auto it = files.find(path);
  if (it != files.end()) return it->second;
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  std::FILE* f = std::fopen(path.c_str(), "ae");
  files.emplace(path, f);
  return f;
}

std::optional<std::string> WorkerOutput::Route(int local_rank, std::string_view line) {
  const bool redirected = (redirects_[local_rank] & kOut) != 0;
  const bool teed = (tee_[local_rank] & kOut) != 0;
  const bool shown = !config_.local_ranks_filter || config_.local_ranks_filter->count(local_rank);
  if (redirected && !config_.attempt_dir.empty()) {
    if (std::FILE* f =
            File(files_, fmt::format("{}/{}/stdout.log", config_.attempt_dir, local_rank))) {
      std::fprintf(f, "%.*s\n", static_cast<int>(line.size()), line.data());
      std::fflush(f);
    }
  }
  if (!redirected) {
    // Not redirected: straight to the console, unless filtered out (os.devnull).
    if (!shown) return std::nullopt;
    return std::string(line);
  }
  if (!teed || !shown) return std::nullopt;
  std::string prefix = fmt::format("[{}{}]:", config_.role, local_rank);
  if (!config_.prefix_template.empty()) {
    const int rank = static_cast<std::size_t>(local_rank) < config_.global_ranks.size()
                         ? config_.global_ranks[static_cast<std::size_t>(local_rank)]
                         : local_rank;
    prefix = Substitute(config_.prefix_template, "role_name", config_.role);
    prefix = Substitute(prefix, "local_rank", std::to_string(local_rank));
    prefix = Substitute(prefix, "rank", std::to_string(rank));
  }
  std::string out = prefix + std::string(line);
  if (!config_.duplicate_stdout_filters.empty() && !config_.attempt_dir.empty()) {
    for (const auto& filter : config_.duplicate_stdout_filters) {
      if (line.find(filter) == std::string_view::npos) continue;
      if (std::FILE* f = File(files_, config_.attempt_dir + "/filtered_stdout.log")) {
        std::fprintf(f, "%s\n", out.c_str());
        std::fflush(f);
      }
      break;
    }
  }
  return out;
}

}  // namespace ptsim::elastic
