#include "tools/ptsim-worker/checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "tools/ptsim-worker/atomic_file.hpp"
#include "tools/ptsim-worker/exact_double.hpp"

namespace ptsim::worker {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kPrefix = "ckpt-";
constexpr std::string_view kSuffix = ".json";
constexpr const char* kFormat = "ptsim-worker-checkpoint";

// The step in a file name "ckpt-<step>.json", or nullopt for other names.
std::optional<std::int64_t> StepFromFileName(std::string_view name) {
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return std::nullopt;
  const std::string_view digits =
      name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  std::int64_t step = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), step);
  if (digits.empty() || digits.front() == '-' || ec != std::errc() ||
      end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return step;
}

Result<TrainingState> ReadCheckpoint(const fs::path& path, std::int64_t step, int dim) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open it"};
  std::stringstream text;
  text << in.rdbuf();
  const json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Error{"not valid JSON"};
  if (!doc.contains("step") || !doc["step"].is_number_integer() ||
      doc["step"].get<std::int64_t>() != step) {
    return Error{fmt::format("\"step\" is not {} as its name says", step)};
  }
  const auto hex = doc.find("params_hex");
  if (hex == doc.end() || !hex->is_array() || hex->size() != static_cast<std::size_t>(dim)) {
    return Error{fmt::format("\"params_hex\" is not an array of {} values (--dim)", dim)};
  }
  TrainingState state;
  state.step = step;
  for (const json& value : *hex) {
    if (!value.is_string()) return Error{"\"params_hex\" holds a value that is not a string"};
    auto parsed = ParseExactDouble(value.get<std::string>());
    if (!parsed) return Error{fmt::format("\"params_hex\": {}", parsed.error())};
    state.params.push_back(parsed.value());
  }
  if (doc.contains("loss_hex") && doc["loss_hex"].is_string()) {
    auto loss = ParseExactDouble(doc["loss_hex"].get<std::string>());
    if (!loss) return Error{fmt::format("\"loss_hex\": {}", loss.error())};
    state.loss = loss.value();
  }
  return state;
}

}  // namespace

std::string CheckpointPath(const std::string& dir, std::int64_t step) {
  return (fs::path(dir) / fmt::format("{}{}{}", kPrefix, step, kSuffix)).string();
}

Result<std::string> SaveCheckpoint(const std::string& dir, const TrainingState& state,
                                   int world_size) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{fmt::format("cannot create checkpoint directory {}: {}", dir, ec.message())};
  json doc = {
      {"format", kFormat},
      {"version", 1},
      {"step", state.step},
      {"world_size", world_size},
      {"dim", state.params.size()},
      {"loss", state.loss},
      {"loss_hex", ToHexFloat(state.loss)},
      {"params", state.params},
      {"params_hex", ToHexFloats(state.params)},
  };
  const std::string path = CheckpointPath(dir, state.step);
  Status written = WriteFileAtomically(path, doc.dump(2) + "\n");
  if (!written) return Error{written.error()};
  return path;
}

Result<CheckpointScan> FindLatestCheckpoint(const std::string& dir, int dim) {
  CheckpointScan scan;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return scan;
  std::vector<std::pair<std::int64_t, fs::path>> found;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (auto step = StepFromFileName(it->path().filename().string())) {
      found.emplace_back(*step, it->path());
    }
  }
  if (ec) return Error{fmt::format("cannot list checkpoint directory {}: {}", dir, ec.message())};
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a > b; });
  for (const auto& [step, path] : found) {
    auto state = ReadCheckpoint(path, step, dim);
    if (!state) {
      scan.skipped.push_back(fmt::format("{}: {}", path.string(), state.error()));
      continue;
    }
    scan.latest = LoadedCheckpoint{std::move(state.value()), path.string()};
    break;
  }
  return scan;
}

}  // namespace ptsim::worker
