// Which documents `ptsim run` runs, and what it says about the others: a
// Pod (v1), a List (v1), a job of a kind in JobKinds() (job_kind.hpp: a
// PyTorchJob, kubeflow.org/v1) and a Scenario (ptsim.io/v1) are run; any other Kubernetes kind is
// listed as ignored. A kind that looks like a misspelling of one ptsim runs ("PytorchJob",
// "pytorchjob", "Pods"), or a kind ptsim runs under another apiVersion, is an
// error with a suggestion instead: ignoring it would run nothing, silently.
// Pure functions; any thread.
#pragma once

#include <string>

namespace ptsim {

// kRuntime: a Trainer v2 TrainingRuntime or ClusterTrainingRuntime.
enum class DocumentKind { kPod, kList, kJob, kRuntime, kScenario, kOther };

// The kind of a document from its apiVersion and kind.
DocumentKind ClassifyDocument(const std::string& api_version, const std::string& kind);

// For a kOther document: why it is an error ("unknown kind \"PytorchJob\";
// did you mean \"PyTorchJob\" (apiVersion kubeflow.org/v1)?"), or "" when it
// may be ignored (a Service, a ConfigMap, a kind ptsim does not know).
std::string MisspeltKindProblem(const std::string& api_version, const std::string& kind);

}  // namespace ptsim
