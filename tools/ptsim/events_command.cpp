// `ptsim events`: kubectl events over a finished run's report
// (staging/src/k8s.io/kubectl/pkg/cmd/events: events.go for --for, --types
// and the order, event_printer.go for the columns and the interval).
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "tools/ptsim/commands.hpp"
#include "tools/ptsim/kube_text.hpp"
#include "tools/ptsim/report_objects.hpp"
#include "tools/ptsim/run_dir.hpp"
#include "tools/ptsim/tab_writer.hpp"

namespace ptsim::cli {
namespace {

int Fail(const std::string& message) {
  std::cerr << "ptsim events: " << message << "\n";
  return 2;
}

bool EqualFold(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

int Events(const EventsOptions& options) {
  for (const auto& t : options.types) {
    if (!EqualFold(t, "Normal") && !EqualFold(t, "Warning"))
      return Fail(fmt::format("--types {}: valid --types are Normal or Warning", t));
  }
  std::string error;
  std::optional<ObjectRef> object;
  if (!options.for_object.empty()) {
    object = ParseObjectRef(options.for_object,
                            {ObjectRef::Kind::kPod, ObjectRef::Kind::kJob, ObjectRef::Kind::kNode},
                            std::nullopt, &error);
    if (!object) return Fail("--for: " + error);
  }
  auto run = OpenRun(options.run, options.runs_dir, &error);
  if (!run) return Fail(error);
  const nlohmann::json* report = RequireReport(*run, "events", &error);
  if (!report) return Fail(error);
  if (object && !ObjectExists(*report, *object, &error)) return Fail(error);

  std::vector<const nlohmann::json*> events;
  if (object) {
    events = EventsFor(*report, KindName(object->kind), object->name, "");
  } else if (report->contains("events") && (*report)["events"].is_array()) {
    for (const auto& e : (*report)["events"])
      events.push_back(&e);
  }
  std::erase_if(events, [&](const nlohmann::json* e) {
    if (options.types.empty()) return false;
    return std::none_of(options.types.begin(), options.types.end(),
                        [&](const std::string& t) { return EqualFold(t, Str(*e, "type")); });
  });
  const std::string ns = run->pods.empty() ? "default" : run->pods.front().ns;
  if (events.empty()) {
    std::cerr << fmt::format("No events found in {} namespace.\n", ns);
    return 0;
  }
  SortEvents(&events);
  const double end = report->value("virtualSeconds", 0.0);
  std::cout << fmt::format("# run {}, ended at {} virtual: LAST SEEN counts back from its end\n",
                           Str(*report, "name"), VirtualTime(end));
  TabWriter w(6, 3);
  w.Write("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
  for (const auto* e : events) {
    std::string message = Str(*e, "message");
    const auto first = message.find_first_not_of(" \t\n");
    const auto last = message.find_last_not_of(" \t\n");
    message = first == std::string::npos ? "" : message.substr(first, last - first + 1);
    w.Write(fmt::format("{}\t{}\t{}\t{}\t{}\n", EventInterval(*e, end), Str(*e, "type"),
                        Str(*e, "reason"), Str(*e, "object"), message));
  }
  std::cout << w.Text();
  return 0;
}

}  // namespace ptsim::cli
