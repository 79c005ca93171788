#include "tools/ptsim/object_ref.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <utility>

namespace ptsim::cli {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// kubectl's resource names and short names for each kind.
const std::vector<std::pair<ObjectRef::Kind, std::vector<std::string>>>& Spellings() {
  static const std::vector<std::pair<ObjectRef::Kind, std::vector<std::string>>> spellings = {
      {ObjectRef::Kind::kPod, {"pod", "pods", "po"}},
      {ObjectRef::Kind::kJob,
       {"pytorchjob", "pytorchjobs", "pytorchjob.kubeflow.org", "pytorchjobs.kubeflow.org", "job",
        "jobs"}},
      {ObjectRef::Kind::kNode, {"node", "nodes", "no"}},
  };
  return spellings;
}

const char* Spelled(ObjectRef::Kind kind) {
  switch (kind) {
    case ObjectRef::Kind::kPod:
      return "pod/NAME";
    case ObjectRef::Kind::kJob:
      return "pytorchjob/NAME (or job/NAME)";
    case ObjectRef::Kind::kNode:
      return "node/NAME";
  }
  return "";
}

}  // namespace

const char* KindName(ObjectRef::Kind kind) {
  switch (kind) {
    case ObjectRef::Kind::kPod:
      return "Pod";
    case ObjectRef::Kind::kJob:
      return "PyTorchJob";
    case ObjectRef::Kind::kNode:
      return "Node";
  }
  return "";
}

std::optional<ObjectRef> ParseObjectRef(const std::string& text,
                                        const std::vector<ObjectRef::Kind>& allowed,
                                        std::optional<ObjectRef::Kind> bare_kind,
                                        std::string* error) {
  std::vector<std::string> forms;
  for (auto kind : allowed)
    forms.push_back(Spelled(kind));
  const std::string accepted = fmt::format("{}", fmt::join(forms, ", "));
  const auto slash = text.find('/');
  if (slash == std::string::npos) {
    if (bare_kind && !text.empty()) return ObjectRef{*bare_kind, text};
    *error = fmt::format("\"{}\" names no object: write TYPE/NAME, one of {}", text, accepted);
    return std::nullopt;
  }
  const std::string type = Lower(text.substr(0, slash));
  const std::string name = text.substr(slash + 1);
  if (name.empty() || name.find('/') != std::string::npos) {
    *error = fmt::format("\"{}\" is not TYPE/NAME: write one of {}", text, accepted);
    return std::nullopt;
  }
  for (const auto& [kind, names] : Spellings()) {
    if (std::find(names.begin(), names.end(), type) == names.end()) continue;
    if (std::find(allowed.begin(), allowed.end(), kind) == allowed.end()) break;
    return ObjectRef{kind, name};
  }
  *error = fmt::format("the type \"{}\" in \"{}\" is not one this command shows: write one of {}",
                       text.substr(0, slash), text, accepted);
  return std::nullopt;
}

}  // namespace ptsim::cli
