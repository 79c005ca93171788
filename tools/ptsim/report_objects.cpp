#include "tools/ptsim/report_objects.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "tools/ptsim/kube_text.hpp"

namespace ptsim::cli {
namespace {

std::vector<std::string> Names(const nlohmann::json& list) {
  std::vector<std::string> names;
  if (!list.is_array()) return names;
  for (const auto& item : list) {
    const std::string name = Str(item, "name");
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

const nlohmann::json* FindNamed(const nlohmann::json& report, const char* list, const char* kind,
                                const std::string& name, std::string* error) {
  const nlohmann::json* found = nullptr;
  if (report.contains(list) && report[list].is_array()) {
    for (const auto& item : report[list]) {
      if (Str(item, "name") == name) found = &item;  // the last of that name
    }
  }
  if (found) return found;
  const auto names = Names(report.value(list, nlohmann::json::array()));
  *error = names.empty() ? fmt::format("{} \"{}\" not found: the run has no {}s", kind, name, kind)
                         : fmt::format("{} \"{}\" not found{}{}s in the run: {}", kind, name,
                                       Suggest(name, names), kind, fmt::join(names, ", "));
  return nullptr;
}

}  // namespace

const nlohmann::json* FindJob(const nlohmann::json& report, const std::string& name,
                              std::string* error) {
  return FindNamed(report, "jobs", "PyTorchJob", name, error);
}

const nlohmann::json* FindNode(const nlohmann::json& report, const std::string& name,
                               std::string* error) {
  if (!report.contains("nodes")) {
    *error =
        "the report has no nodes: it was written by a ptsim older than `ptsim describe "
        "node`; run it again";
    return nullptr;
  }
  return FindNamed(report, "nodes", "node", name, error);
}

bool ObjectExists(const nlohmann::json& report, const ObjectRef& ref, std::string* error) {
  switch (ref.kind) {
    case ObjectRef::Kind::kPod:
      return FindNamed(report, "pods", "pod", ref.name, error) != nullptr;
    case ObjectRef::Kind::kJob:
      return FindJob(report, ref.name, error) != nullptr;
    case ObjectRef::Kind::kNode:
      return FindNode(report, ref.name, error) != nullptr;
  }
  return false;
}

std::vector<const nlohmann::json*> EventsFor(const nlohmann::json& report, const std::string& kind,
                                             const std::string& name, const std::string& uid) {
  std::vector<const nlohmann::json*> out;
  if (!report.contains("events") || !report["events"].is_array()) return out;
  const std::string object = kind + "/" + name;
  for (const auto& e : report["events"]) {
    if (Str(e, "object") != object) continue;
    const std::string event_uid = Str(e.value("involvedObject", nlohmann::json::object()), "uid");
    if (!uid.empty() && !event_uid.empty() && event_uid != uid) continue;
    out.push_back(&e);
  }
  return out;
}

void SortEvents(std::vector<const nlohmann::json*>* events) {
  std::stable_sort(events->begin(), events->end(), [](const auto* a, const auto* b) {
    return a->value("lastTime", a->value("time", 0.0)) <
           b->value("lastTime", b->value("time", 0.0));
  });
}

}  // namespace ptsim::cli
