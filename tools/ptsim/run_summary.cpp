#include "tools/ptsim/run_summary.hpp"

#include <fmt/format.h>

#include "sim/harness/flyte_report.hpp"
#include "sim/harness/report_fields.hpp"
#include "sim/harness/summary_text.hpp"

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

std::string Verdict(const nlohmann::json& report) {
  return fmt::format("{}: {} in {:.1f}s virtual, {:.2f}s wall (seed {}, run dir {}){}\n",
                     report.value("passed", false) ? "PASS" : "FAIL", StringField(report, "name"),
                     report["virtualSeconds"].get<double>(), report["wallSeconds"].get<double>(),
                     report["seed"].dump(), StringField(report, "runDir"),
                     report["outcome"] == "timedOut" ? ": it reached its timeout" : "");
}

std::string FinalCondition(const nlohmann::json& report) {
  if (!report["job"].is_object() || report["job"]["status"]["conditions"].empty()) return "-";
  const auto& c = report["job"]["status"]["conditions"].back();
  return c["type"].get<std::string>() + "=" + c["status"].get<std::string>();
}

std::string RunSummary(const nlohmann::json& report) {
  std::string out =
      ConditionHistoryText(report) + FlyteSummaryText(report["flyte"]) + PodTable(report);
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
  return out + Verdict(report);
}

}  // namespace ptsim::cli
