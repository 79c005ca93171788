#include "sim/harness/document_kind.hpp"

#include <fmt/format.h>

#include <string_view>
#include <vector>

#include "sim/core/spelling.hpp"
#include "sim/harness/job_kind.hpp"

namespace ptsim {
namespace {

struct RunKind {
  std::string_view kind;
  std::string_view api_version;
  DocumentKind document;
};

// Every kind ptsim runs: the fixed ones, then each job kind.
std::vector<RunKind> RunKinds() {
  std::vector<RunKind> kinds = {
      {"Pod", "v1", DocumentKind::kPod},
      {"List", "v1", DocumentKind::kList},
      {"Scenario", "ptsim.io/v1", DocumentKind::kScenario},
      {"TrainingRuntime", "trainer.kubeflow.org/v1alpha1", DocumentKind::kRuntime},
      {"ClusterTrainingRuntime", "trainer.kubeflow.org/v1alpha1", DocumentKind::kRuntime},
  };
  for (const JobKind* k : JobKinds())
    kinds.push_back({k->kind(), k->api_version(), DocumentKind::kJob});
  return kinds;
}

}  // namespace

DocumentKind ClassifyDocument(const std::string& api_version, const std::string& kind) {
  for (const auto& k : RunKinds()) {
    if (k.kind == kind && k.api_version == api_version) return k.document;
  }
  return DocumentKind::kOther;
}

std::string MisspeltKindProblem(const std::string& api_version, const std::string& kind) {
  const std::vector<RunKind> kinds = RunKinds();
  for (const auto& k : kinds) {
    if (k.kind == kind) {
      return fmt::format("ptsim runs {} objects of apiVersion {}, not {}: write `apiVersion: {}`",
                         kind, k.api_version,
                         api_version.empty() ? "a missing apiVersion" : "\"" + api_version + "\"",
                         k.api_version);
    }
  }
  for (const auto& k : kinds) {
    // Case alone, or one edit in a short kind, two in a long one: no
    // Kubernetes kind a manifest may hold next to a job (Node, Job, Service,
    // PodGroup, TFJob ...) is that close to one ptsim runs.
    const std::size_t allowed = k.kind.size() <= 4 ? 1 : 2;
    if (EditDistance(kind, k.kind) <= allowed) {
      return fmt::format("unknown kind \"{}\"; did you mean \"{}\" (apiVersion {})?", kind, k.kind,
                         k.api_version);
    }
  }
  return "";
}

}  // namespace ptsim
