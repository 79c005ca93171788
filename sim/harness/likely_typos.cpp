#include "sim/harness/likely_typos.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/core/spelling.hpp"

namespace ptsim {
namespace {

std::string Meant(const std::string& value, const std::vector<std::string>& known) {
  const std::string best = Nearest(value, known, 2);
  return best.empty() ? fmt::format("; the values are {}", fmt::join(known, ", "))
                      : fmt::format("; did you mean \"{}\"?", best);
}

}  // namespace

void CheckLikelyTypos(const PyTorchJob& job, const FieldLocations& locations,
                      const std::string& object, Diagnostics* diagnostics,
                      std::vector<PlanNote>* notes) {
  auto report = [&](const std::string& field, const std::string& text) {
    diagnostics->Warning(LocateField(locations, field), object, field, text);
    notes->push_back({fmt::format("{}: {}: {}", object, field, text), "", true});
  };
  if (job.spec.pytorch_replica_specs) {
    const std::vector<std::string> known = {"OnFailure", "Always", "Never", "ExitCode"};
    for (const auto& [type, spec] : *job.spec.pytorch_replica_specs) {
      const std::string& p = spec.restart_policy;
      if (p.empty() || std::find(known.begin(), known.end(), p) != known.end()) continue;
      report(fmt::format("spec.pytorchReplicaSpecs[{}].restartPolicy", type),
             fmt::format("\"{}\" is not a restart policy; upstream accepts the PyTorchJob and "
                         "copies it into every {} pod, which the API server then rejects "
                         "(spec.restartPolicy: Unsupported value), so those replicas never "
                         "start{}",
                         p, type, Meant(p, known)));
    }
  }
  if (const auto& policy = job.spec.run_policy.clean_pod_policy) {
    const std::vector<std::string> known = {"None", "Running", "All"};
    if (std::find(known.begin(), known.end(), *policy) == known.end()) {
      report("spec.runPolicy.cleanPodPolicy",
             fmt::format("\"{}\" is not a clean-pod policy; upstream accepts it and cleans up as "
                         "for All: every pod and service is deleted when the job finishes{}",
                         *policy, *policy == "" ? "" : Meant(*policy, known)));
    }
  }
}

}  // namespace ptsim
