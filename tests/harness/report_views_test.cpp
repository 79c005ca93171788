// The report views on JSON input: the pod table (kubectl columns, recreated
// pods collapsed, pods ptsim stopped at the run's end marked), condition
// flapping folded, and the HTML page (runs table, labels, notes, log links).
#include <catch2/catch.hpp>

#include "sim/harness/pod_rows.hpp"
#include "sim/harness/report_html.hpp"
#include "sim/harness/summary_text.hpp"
#include "sim/harness/timeline_svg.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

json Run(double start, std::optional<double> end, std::optional<int> exit_code,
         const std::string& reason, bool by_ptsim = false) {
  return {{"restartCount", 0},
          {"startedAt", start},
          {"finishedAt", end ? json(*end) : json()},
          {"exitCode", exit_code ? json(*exit_code) : json()},
          {"signal", nullptr},
          {"reason", reason.empty() ? json() : json(reason)},
          {"log", "/runs/r/pods/p/pytorch/0.log"},
          {"terminatedByPtsim", by_ptsim}};
}

json Pod(const std::string& name, const std::string& uid, double created, const json& state,
         const json& runs, const std::string& phase, std::optional<double> deleted = {}) {
  return {{"name", name},
          {"namespace", "default"},
          {"uid", uid},
          {"phase", phase},
          {"reason", nullptr},
          {"conditions", json::array()},
          {"createdAt", created},
          {"deletionRequestedAt", deleted ? json(*deleted) : json()},
          {"deletedAt", deleted ? json(*deleted) : json()},
          {"initContainers", json::array()},
          {"containers", json::array({{{"name", "pytorch"},
                                       {"state", state},
                                       {"lastState", nullptr},
                                       {"restartCount", 0},
                                       {"ready", state.contains("running")},
                                       {"runs", runs}}})}};
}

json Failed(int code) {
  return {{"terminated", {{"exitCode", code}, {"signal", 0}, {"reason", "Error"}}}};
}

TEST_CASE("the pod table collapses recreated pods into one row with their count") {
  json report = {{"virtualSeconds", 300.0}, {"outcome", "completed"}, {"pods", json::array()}};
  for (int i = 0; i < 30; ++i) {
    const double t = i * 10.0;
    report["pods"].push_back(Pod("job-worker-0", "uid-" + std::to_string(i), t, Failed(137),
                                 json::array({Run(t, t + 5, 137, "Error")}), "Failed", t + 6));
  }
  report["pods"].push_back(Pod("job-master-0", "m", 0, {{"running", {{"startedAt", 0}}}},
                               json::array({Run(0, {}, {}, "")}), "Running"));
  const auto rows = PodRows(report);
  REQUIRE(rows.size() == 2);
  CHECK(PodRowLabel(rows[0]) == "job-worker-0 (x30)");
  CHECK(rows[0].newest == &report["pods"][29]);
  CHECK(rows[0].status == "Error");
  CHECK(rows[0].exit == "137");
  const std::string table = PodTable(report);
  CHECK(table.find("NAME") == 0);
  CHECK(table.find("READY") != std::string::npos);
  CHECK(table.find("STATUS") != std::string::npos);
  CHECK(table.find("job-worker-0 (x30)   0/1     Error") != std::string::npos);
  CHECK(table.find("job-master-0") != std::string::npos);
  CHECK(table.find("(xN): N pods of that name") != std::string::npos);
}

TEST_CASE("a container ptsim stopped at the run's end is Terminated (run end), not Running") {
  json report = {{"virtualSeconds", 60.0}, {"outcome", "completed"}};
  report["pods"] = json::array({Pod("job-worker-1", "w", 0, {{"running", {{"startedAt", 0}}}},
                                    json::array({Run(0, 61, 143, "Error", true)}), "Running")});
  const auto rows = PodRows(report);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].ended_by_ptsim);
  CHECK(rows[0].status == kTerminatedAtRunEnd);
  CHECK(rows[0].exit == "-");
  const std::string table = PodTable(report);
  CHECK(table.find("Running") == std::string::npos);
  CHECK(table.find("143") == std::string::npos);
  CHECK(table.find("Terminated (run end): still running when the run ended") != std::string::npos);

  // An interrupted run: what was running at the interrupt was stopped by ptsim.
  report["outcome"] = "interrupted";
  report["notes"] = json::array(
      {{{"time", 30.0}, {"text", "interrupted by Interrupt: pods deleted gracefully"}}});
  report["pods"][0]["containers"][0]["runs"] = json::array({Run(0, 31, 143, "Error")});
  CHECK(PodRows(report)[0].status == kTerminatedAtRunEnd);
  report["pods"][0]["containers"][0]["runs"] = json::array({Run(0, 20, 0, "Completed")});
  CHECK(PodRows(report)[0].status != kTerminatedAtRunEnd);
}

json Condition(double t, const std::string& type, const std::string& status = "True") {
  return {{"time", t},
          {"type", type},
          {"status", status},
          {"reason", "PyTorchJob" + type},
          {"message", type + " at " + std::to_string(static_cast<int>(t))}};
}

TEST_CASE("condition flapping folds into one line per condition with its count and span") {
  json history = json::array({Condition(0, "Created"), Condition(1, "Running")});
  for (int i = 0; i < 12; ++i) {
    history.push_back(Condition(10 + i * 25.0, "Restarting"));
    history.push_back(Condition(20 + i * 25.0, "Running"));
  }
  history.push_back(Condition(400, "Failed"));
  const auto groups = FoldConditionHistory(history);
  REQUIRE(groups.size() == 4);
  CHECK(groups[1].count == 13);
  CHECK(groups[2].count == 12);
  CHECK(RepeatSuffix(groups[2].count, 10, groups[2].last_time) == " (x12 over 4m35s)");
  json report = {{"jobs", json::array({{{"namespace", "default"},
                                        {"name", "j"},
                                        {"deletedAt", nullptr},
                                        {"conditionHistory", history}}})}};
  const std::string text = ConditionHistoryText(report);
  CHECK(text.find("Restarting at 285 (x12 over 4m35s)") != std::string::npos);
  CHECK(text.find("Failed") != std::string::npos);
  // Conditions that do not repeat are not folded.
  CHECK(FoldConditionHistory(json::array({Condition(0, "Created"), Condition(1, "Running"),
                                          Condition(2, "Succeeded")}))
            .size() == 3);
}

TEST_CASE("the multi-run HTML opens with a table of the runs, failures first, linked") {
  auto run = [](const std::string& name, bool passed) {
    return json{{"name", name},
                {"passed", passed},
                {"outcome", "completed"},
                {"source", name},
                {"virtualSeconds", 10.0},
                {"wallSeconds", 0.1},
                {"pods", json::array()},
                {"notes", json::array()},
                {"faults", json::array()},
                {"events", json::array()},
                {"expectations", json::array()},
                {"job", nullptr}};
  };
  const std::string html =
      HtmlReport({run("first-ok", true), run("second-bad", false), run("third-ok", true)});
  const auto table = html.find("<h1>ptsim: 3 runs</h1>");
  REQUIRE(table != std::string::npos);
  const auto bad = html.find("<a href='#run-2'>second-bad</a>");
  const auto ok1 = html.find("<a href='#run-1'>first-ok</a>");
  const auto ok3 = html.find("<a href='#run-3'>third-ok</a>");
  REQUIRE(bad != std::string::npos);
  CHECK(table < bad);
  CHECK(bad < ok1);
  CHECK(ok1 < ok3);
  CHECK(html.find("<section id='run-2'>") != std::string::npos);
  // One run: no table.
  CHECK(HtmlReport({run("only", true)}).find("runs</h1>") == std::string::npos);
}

TEST_CASE("the timeline labels a flapping condition once with its count, notes are linked") {
  json history = json::array({Condition(0, "Created")});
  for (int i = 0; i < 30; ++i) {
    history.push_back(Condition(1 + i * 2.0, "Running"));
    history.push_back(Condition(2 + i * 2.0, "Restarting"));
  }
  json report = {{"virtualSeconds", 61.0},
                 {"pods", json::array()},
                 {"faults", json::array()},
                 {"job", {{"conditionHistory", history}}},
                 {"notes", json::array({{{"time", 3.0}, {"text", "something to know"}}})}};
  const std::string svg = TimelineSvg(report, {"run-1", ""});
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = svg.find(what); at != std::string::npos; at = svg.find(what, at + 1))
      ++n;
    return n;
  };
  CHECK(count(">Restarting=True ×30<") == 1);
  CHECK(count(">Running=True ×30<") == 1);
  CHECK(count("<line") >= 61);  // every change keeps its line
  CHECK(svg.find("<a href='#run-1-note-1'>") != std::string::npos);
  CHECK(svg.find("something to know") != std::string::npos);
}

TEST_CASE("each container run links its log, relative to the page's directory") {
  CHECK(LogHref("/runs/r/pods/p/pytorch/0.log", "/runs/r") == "pods/p/pytorch/0.log");
  CHECK(LogHref("/runs/r/pods/p/pytorch/0.log", "/tmp/out") == "../../runs/r/pods/p/pytorch/0.log");
  CHECK(LogHref("/runs/a b/x#1.log", "/runs") == "a%20b/x%231.log");
  CHECK(LogHref("rel/0.log", "") == "rel/0.log");
  json report = {{"virtualSeconds", 10.0}, {"outcome", "completed"}};
  report["pods"] =
      json::array({Pod("p", "u", 0, Failed(1), json::array({Run(0, 5, 1, "Error")}), "Failed")});
  const std::string svg = TimelineSvg(report, {"run-1", "/runs/r"});
  CHECK(svg.find("<a href='pods/p/pytorch/0.log'><rect") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
