#include "tools/ptsim/run_summary.hpp"

#include <fmt/format.h>

namespace ptsim::cli {

std::string ExpectationLines(const nlohmann::json& report, bool failed_only) {
  std::string out;
  for (const auto& e : report["expectations"]) {
    const bool ok = e["passed"].get<bool>();
    if (ok && failed_only) continue;
    out += fmt::format("{} {}\n", ok ? "  ok  " : "  FAIL", e["description"].get<std::string>());
    if (!ok) {
      auto plain = [](const nlohmann::json& j) {
        return j.is_string() ? j.get<std::string>() : j.dump();
      };
      out += fmt::format("         want: {}\n         got:  {}\n", plain(e["expected"]),
                         plain(e["actual"]));
    }
  }
  return out;
}

std::string Verdict(const nlohmann::json& report, bool passed, const std::string& name,
                    std::uint64_t seed, const std::string& run_dir) {
  return fmt::format("{}: {} in {:.1f}s virtual, {:.2f}s wall (seed {}, run dir {}){}\n",
                     passed ? "PASS" : "FAIL", name, report["virtualSeconds"].get<double>(),
                     report["wallSeconds"].get<double>(), seed, run_dir,
                     report["outcome"] == "timedOut" ? ": it reached its timeout" : "");
}

std::string RunSummary(const nlohmann::json& report, bool passed, const std::string& name,
                       std::uint64_t seed, const std::string& run_dir) {
  std::string out;
  for (const auto& f : report["faults"]) {
    for (const auto& fired : f["fired"]) {
      out += fmt::format("fault: {:>9.3f}s {} ({}) -> {}\n", fired["time"].get<double>(),
                         f["name"].get<std::string>(), f["action"].get<std::string>(),
                         fired["targets"].dump());
    }
  }
  out += ExpectationLines(report, false);
  for (const auto& note : report["notes"]) {
    out += fmt::format("note: {}{}\n", note["text"].get<std::string>(),
                       note["ref"].is_string() ? " (" + note["ref"].get<std::string>() + ")" : "");
  }
  return out + Verdict(report, passed, name, seed, run_dir);
}

}  // namespace ptsim::cli
