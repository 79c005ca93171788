#include "fakes/trainer/default_runtime.hpp"

namespace ptsim {

ClusterTrainingRuntime TorchDistributedRuntime() {
  ClusterTrainingRuntime rt;
  rt.metadata.name = kDefaultRuntimeName;
  rt.metadata.namespace_ = "";
  rt.metadata.labels[kFrameworkLabel] = "torch";
  MLPolicy policy;
  policy.num_nodes = 1;
  policy.torch = TorchMLPolicySource{};
  rt.spec.ml_policy = policy;
  ReplicatedJob node;
  node.name = kTrainerNodeName;
  node.template_.metadata.labels[kAncestorStepLabel] = kAncestorTrainer;
  Container c;
  c.name = kTrainerNodeName;
  c.image = kDefaultRuntimeImage;
  node.template_.spec.template_.spec.containers.push_back(c);
  rt.spec.template_.spec.replicated_jobs.push_back(node);
  return rt;
}

}  // namespace ptsim
