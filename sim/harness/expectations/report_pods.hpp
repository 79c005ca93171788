// The pods, and the runs of their containers, that an expectation about a
// pod looks at in the report (docs/report.md `pods[]`): a recreated pod (same
// name, new uid) is another entry, and expectations look at the newest one
// unless they say otherwise. Missing lists read as empty. Plain functions;
// any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model/yaml_reader.hpp"

namespace ptsim {

// The report's list `key` (`pods`, `services`, `events`, ...), or an empty list.
const nlohmann::json& ReportList(const nlohmann::json& report, const char* key);

// Every pod ever created with this name, oldest first; a name ending in
// `-*` names the pods of that prefix and a generated 5-character suffix (a
// Job's or JobSet's pods, MatchesPlannedPodName).
std::vector<const nlohmann::json*> PodsNamed(const nlohmann::json& report, const std::string& name);

// A container of a pod; without `container`, the pod's first app container.
struct ContainerRef {
  std::string pod;
  std::string container;
  // "pod" or "pod/container".
  std::string Describe() const { return container.empty() ? pod : pod + "/" + container; }
};

// Which incarnations of a container: `attempt: N` (its restartCount), `last`
// or `any`; unset, each expectation has its own default (the last run, or any).
struct AttemptSelection {
  std::optional<int> attempt;
  bool any = false;
  // "run N", "any run" or "the last run".
  std::string Describe(bool last_by_default) const;
};

// Reads `attempt` of `m`: a restartCount (from 0), `last` or `any`.
void ReadAttempt(MapReader& m, AttemptSelection* out);

// The runs (pods[].containers[].runs[]) of `ref` that `sel` selects: with
// `any`, every run of every pod ever created with the name; otherwise the
// runs of the newest such pod, filtered to `attempt` when given, else its last
// run (`last_by_default`) or all of them. Empty with the reason in *why ("no
// such pod", "no such container", "no such attempt").
std::vector<const nlohmann::json*> ContainerRuns(const nlohmann::json& report,
                                                 const ContainerRef& ref,
                                                 const AttemptSelection& sel, bool last_by_default,
                                                 std::string* why);

}  // namespace ptsim
