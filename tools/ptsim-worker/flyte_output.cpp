#include "tools/ptsim-worker/flyte_output.hpp"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tools/ptsim-worker/atomic_file.hpp"

namespace ptsim::worker {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> DeckNames(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

}  // namespace

Status WriteFlyteOutputs(const Options& options, const EnvLookup& env, int rank, std::int64_t steps,
                         double loss) {
  if (options.return_value.empty() && options.decks.empty()) return Ok{};
  const auto dir = env(kFlyteOutputDirEnv);
  if (!dir || dir->empty()) return Error{"PTSIM_FLYTE_OUTPUT_DIR is not set"};
  std::error_code ec;
  fs::create_directories(*dir, ec);
  if (!options.return_value.empty()) {
    Status s =
        WriteFileAtomically((fs::path(*dir) / "return.json").string(), options.return_value + "\n");
    if (!s) return s;
  }
  for (const auto& name : DeckNames(options.decks)) {
    fs::create_directories(fs::path(*dir) / "decks", ec);
    const std::string html = fmt::format(
        "<html><body><h1>{}</h1><p>ptsim-worker rank {}: {} steps, loss {}</p></body></html>\n",
        name, rank, steps, loss);
    Status s = WriteFileAtomically((fs::path(*dir) / "decks" / (name + ".html")).string(), html);
    if (!s) return s;
  }
  return Ok{};
}

void RecordCrashException(const Options& options, const EnvLookup& env, const Log& log,
                          std::int64_t step) {
  if (options.crash_exception.empty() && !options.crash_recoverable) return;
  const std::string type =
      !options.crash_exception.empty() ? options.crash_exception : "FlyteRecoverableException";
  const std::string what = fmt::format("crashing at step {} (--crash-at-step)", step);
  // str() of a FlyteRecoverableException is "USER:Recoverable: error=<msg>".
  const std::string value = options.crash_recoverable ? "USER:Recoverable: error=" + what : what;
  const auto error_file = env("TORCHELASTIC_ERROR_FILE");
  if (options.crash_recoverable) {
    // flytekit error_handling.create_recoverable_error_file.
    if (!error_file || error_file->empty()) {
      log.Error("ValueError: `TORCHELASTIC_ERROR_FILE` environment variable not set");
    } else {
      std::error_code ec;
      fs::create_directories(fs::path(*error_file).parent_path(), ec);
      std::ofstream(fs::path(*error_file).parent_path() / "recoverable_error");
    }
  }
  const std::string message = type + ": " + value;
  log.Error(message);
  if (!error_file || error_file->empty()) return;
  // torch.distributed.elastic.multiprocessing.errors.ErrorHandler.record_exception.
  nlohmann::json data = {
      {"message",
       {{"message", message},
        {"extraInfo",
         {{"py_callstack",
           "Traceback (most recent call last):\n  [ptsim-worker] no Python "
           "frames\n" +
               message + "\n"},
          {"timestamp", std::to_string(static_cast<long long>(std::time(nullptr)))}}}}}};
  std::error_code ec;
  fs::create_directories(fs::path(*error_file).parent_path(), ec);
  std::ofstream(*error_file) << data.dump() << "\n";
}

}  // namespace ptsim::worker
