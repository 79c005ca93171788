// The TYPE/NAME arguments of `ptsim logs`, `describe` and `events --for`, as
// kubectl spells them: pod/NAME (pods, po), pytorchjob/NAME (pytorchjobs,
// pytorchjobs.kubeflow.org, and job/NAME for the job of a run), node/NAME
// (nodes, no). Matching of the type is case-insensitive. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ptsim::cli {

struct ObjectRef {
  enum class Kind { kPod, kJob, kNode };
  Kind kind = Kind::kPod;
  std::string name;
};

// The kind's name in reports and events: "Pod", "PyTorchJob", "Node".
const char* KindName(ObjectRef::Kind kind);

// Parses TYPE/NAME; a bare NAME is `bare_kind` when given, else an error.
// `allowed` lists the kinds the command takes. On error returns nullopt with
// `error` saying what was wrong and what to type.
std::optional<ObjectRef> ParseObjectRef(const std::string& text,
                                        const std::vector<ObjectRef::Kind>& allowed,
                                        std::optional<ObjectRef::Kind> bare_kind,
                                        std::string* error);

}  // namespace ptsim::cli
