#include "fakes/elastic/launch_extras.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fakes/elastic/python_syntax.hpp"
#include "sim/core/signals.hpp"

namespace ptsim::elastic {

namespace {

// json.dumps: ", " between items and ": " after keys.
template <typename Json>
std::string Dumps(const Json& j) {
  const std::string text = j.dump();
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    out += c;
    if (c == '"') {
      std::size_t backslashes = 0;
      for (std::size_t k = i; k > 0 && text[k - 1] == '\\'; --k)
        ++backslashes;
      if (backslashes % 2 == 0) in_string = !in_string;
    }
    if (!in_string && (c == ',' || c == ':')) out += ' ';
  }
  return out;
}

}  // namespace

std::set<int> HandledSignals(const std::string& list, std::vector<std::string>* warnings) {
  std::set<int> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = list.find(',', start);
    const std::string name(PyStrip(list.substr(start, comma - start)));
    // getattr(signal, name): only the module's names ("SIGTERM"), not numbers.
    auto sig = name.rfind("SIG", 0) == 0 ? ParseSignal(name) : std::nullopt;
    if (sig && SignalName(*sig) == name) {
      out.insert(*sig);
    } else if (warnings) {
      const std::string raw = list.substr(start, comma - start);
      warnings->push_back(fmt::format(
          "WARNING:torch.distributed.elastic.multiprocessing.api:Failed to register signal "
          "handler for {}",
          raw));
      warnings->push_back("Traceback (most recent call last):");
      warnings->push_back("  [ptsim] emulated PContext.start: Python frames are not available");
      warnings->push_back(
          fmt::format("AttributeError: module 'signal' has no attribute {}", PyStrRepr(name)));
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::variant<std::vector<std::string>, TorchrunError> WorkerEventLines(
    const std::string& handler, const WorkerEventContext& context,
    const std::vector<WorkerRanks>& workers, const std::map<int, int>& pids_by_local_rank,
    const std::map<int, ProcessFailure>& failures_by_global_rank) {
  // events/handlers.py _log_handlers.
  if (handler == "null" || handler == "dynamic_rendezvous") return std::vector<std::string>{};
  if (handler != "console") return TorchrunError::Exception("KeyError", PyStrRepr(handler));
  std::vector<std::string> lines;
  for (const auto& w : workers) {
    // _get_worker_state: a failed group's workers without a failure were terminated.
    std::string state = "SUCCEEDED";
    nlohmann::ordered_json raw_error = nullptr;
    if (!failures_by_global_rank.empty()) {
      auto f = failures_by_global_rank.find(w.global_rank);
      state = f == failures_by_global_rank.end() ? "TERMINATED" : "FAILED";
      if (f != failures_by_global_rank.end()) raw_error = Dumps(f->second.error_file_data);
    }
    auto pid = pids_by_local_rank.find(w.local_rank);
    nlohmann::ordered_json md = {{"group_world_size", context.group_world_size},
                                 {"entry_point", context.entrypoint_name}};
    // Event.serialize(): json.dumps(asdict(event)), with _construct_event's metadata.
    nlohmann::ordered_json event = {
        {"name", "torchelastic.worker.status." + state},
        {"source", "WORKER"},
        {"timestamp", 0},
        {"metadata",
         {{"run_id", context.run_id},
          {"global_rank", w.global_rank},
          {"group_rank", context.group_rank},
          {"worker_id",
           pid == pids_by_local_rank.end() ? std::string("None") : std::to_string(pid->second)},
          {"role", context.role},
          {"hostname", context.hostname},
          {"state", state},
          {"total_run_time", static_cast<std::int64_t>(context.total_run_time)},
          {"rdzv_backend", context.rdzv_backend},
          {"raw_error", raw_error},
          {"metadata", Dumps(md)},
          {"agent_restarts", context.restart_count}}}};
    lines.push_back(Dumps(event));
  }
  return lines;
}

std::variant<std::vector<std::pair<std::string, std::string>>, TorchrunError> VirtualLocalRankEnv(
    const std::map<std::string, std::string>& agent_env, int local_rank) {
  std::vector<std::pair<std::string, std::string>> out = {{"LOCAL_RANK", "0"}};
  auto visible = agent_env.find("CUDA_VISIBLE_DEVICES");
  if (visible == agent_env.end()) {
    out.emplace_back("CUDA_VISIBLE_DEVICES", std::to_string(local_rank));
    return out;
  }
  std::vector<std::string> gpus;
  std::size_t start = 0;
  for (;;) {
    const auto comma = visible->second.find(',', start);
    gpus.emplace_back(PyStrip(visible->second.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (static_cast<std::size_t>(local_rank) >= gpus.size()) {
    return TorchrunError::Exception(
        "ValueError", fmt::format("local_rank {} exceeds available GPUs in CUDA_VISIBLE_DEVICES={}",
                                  local_rank, visible->second));
  }
  out.emplace_back("CUDA_VISIBLE_DEVICES", gpus[static_cast<std::size_t>(local_rank)]);
  return out;
}

}  // namespace ptsim::elastic
