#include "tools/ptsim-worker/result_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tools/ptsim-worker/atomic_file.hpp"
#include "tools/ptsim-worker/exact_double.hpp"

namespace ptsim::worker {

Status WriteResultFile(const std::string& path, const RunSummary& summary) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec)
      return Error{fmt::format("cannot create directory {}: {}", parent.string(), ec.message())};
  }
  nlohmann::json doc = {
      {"steps", summary.steps},
      {"world_size", summary.world_size},
      {"dim", summary.params.size()},
      {"final_loss", summary.final_loss},
      {"final_loss_hex", ToHexFloat(summary.final_loss)},
      {"params", summary.params},
      {"params_hex", ToHexFloats(summary.params)},
      {"resumed_from_step", nullptr},
  };
  if (summary.resumed_from_step) doc["resumed_from_step"] = *summary.resumed_from_step;
  Status written = WriteFileAtomically(path, doc.dump(2) + "\n");
  if (!written) return Error{fmt::format("cannot write result file: {}", written.error())};
  return Ok{};
}

}  // namespace ptsim::worker
