// Ports of kubeflow/trainer v2.3.0 pkg/runtime/framework/plugins/torch/
// torch_test.go: TestTorchEnforceMLPolicy and TestTorchValidate.
#include <catch2/catch.hpp>

#include "fakes/trainer/torch_plugin.hpp"
#include "tests/fakes/trainer/trainer_fixtures.hpp"

namespace ptsim {
namespace {

using testing::FindEnv;
using testing::MakeTrainJob;
using testing::Q;

Container& NodeContainer(RuntimeInfo& info) {
  return *info.FindContainerByAncestor(kAncestorTrainer, kTrainerNodeName);
}

std::string Nproc(TrainJob tj, RuntimeInfo info) {
  EnforceTorchMLPolicy(&info, &tj);
  const EnvVar* e = FindEnv(NodeContainer(info).env, kPetNumProcPerNode);
  REQUIRE(e != nullptr);
  return e->value;
}

TrainJob WithResources(ResourceList limits, ResourceList requests = {}) {
  TrainJob tj = MakeTrainJob();
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->num_proc_per_node = "auto";
  tj.spec.trainer->resources_per_node =
      ResourceRequirements{std::move(limits), std::move(requests)};
  return tj;
}

TEST_CASE("TestTorchEnforceMLPolicy trainJob numNodes is respected rather than mlPolicy one") {
  auto rt = TorchDistributedRuntime().spec;
  rt.ml_policy->num_nodes = 2;
  RuntimeInfo info = NewRuntimeInfo(rt);
  REQUIRE(info.pod_sets.at(0).count == 2);
  TrainJob tj = MakeTrainJob();
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->num_nodes = 5;
  EnforceTorchMLPolicy(&info, &tj);
  CHECK(info.pod_sets.at(0).count == 5);
  CHECK(FindEnv(NodeContainer(info).env, kPetNumNodes)->value == "5");
}

TEST_CASE("TestTorchEnforceMLPolicy nproc_per_node=auto follows the CPU count without a GPU") {
  const RuntimeInfo info = NewRuntimeInfo(TorchDistributedRuntime().spec);
  // "nproc_per_node=auto with CPU limit"
  CHECK(Nproc(WithResources({{"cpu", Q("4")}}), info) == "4");
  // "... with no CPU resources": max(1, 0).
  CHECK(Nproc(WithResources({}), info) == "1");
  // "... with millicore CPU limit": Quantity.Value() rounds 2.5 up.
  CHECK(Nproc(WithResources({{"cpu", Q("2500m")}}), info) == "3");
  // "... with fractional CPU limit": 0.7 rounds up to 1.
  CHECK(Nproc(WithResources({{"cpu", Q("0.7")}}), info) == "1");
  // "... with CPU request only"; a request wins over a limit.
  CHECK(Nproc(WithResources({}, {{"cpu", Q("3")}}), info) == "3");
  CHECK(Nproc(WithResources({{"cpu", Q("8")}}, {{"cpu", Q("2")}}), info) == "2");
  // A zero request falls back to the limit.
  CHECK(Nproc(WithResources({{"cpu", Q("6")}}, {{"cpu", Q("0")}}), info) == "6");
}

TEST_CASE("TestTorchEnforceMLPolicy nproc_per_node=auto with a GPU stays auto") {
  const RuntimeInfo info = NewRuntimeInfo(TorchDistributedRuntime().spec);
  CHECK(Nproc(WithResources({{"nvidia.com/gpu", Q("2")}, {"cpu", Q("8")}}), info) == "auto");
  // Any resource whose name contains gpu, in any case, requests too.
  CHECK(Nproc(WithResources({{"cpu", Q("8")}}, {{"amd.com/GPU", Q("1")}}), info) == "auto");
}

TEST_CASE(
    "TestTorchEnforceMLPolicy the runtime's node resources count when the TrainJob has none") {
  auto rt = TorchDistributedRuntime().spec;
  rt.template_.spec.replicated_jobs[0]
      .template_.spec.template_.spec.containers[0]
      .resources.limits = {{"cpu", Q("5")}};
  TrainJob tj = MakeTrainJob();
  tj.spec.trainer = Trainer{};
  CHECK(Nproc(tj, NewRuntimeInfo(rt)) == "5");
  // resourcesPerNode replaces the runtime's resources for this count.
  tj.spec.trainer->resources_per_node = ResourceRequirements{{{"memory", Q("1Gi")}}, {}};
  CHECK(Nproc(tj, NewRuntimeInfo(rt)) == "1");
}

TEST_CASE("TestTorchEnforceMLPolicy an explicit numProcPerNode is kept, negative included") {
  const RuntimeInfo info = NewRuntimeInfo(TorchDistributedRuntime().spec);
  TrainJob tj = WithResources({{"cpu", Q("8")}});
  tj.spec.trainer->num_proc_per_node = 3;
  CHECK(Nproc(tj, info) == "3");
  // kubeflow/trainer#3805: v2.3.0 renders a negative value.
  tj.spec.trainer->num_proc_per_node = -5;
  CHECK(Nproc(tj, info) == "-5");
}

TEST_CASE("TestTorchEnforceMLPolicy the env table, its order and the port") {
  RuntimeInfo info = NewRuntimeInfo(TorchDistributedRuntime().spec);
  NodeContainer(info).env.push_back(EnvVar{"FROM_RUNTIME", "r", {}});
  TrainJob tj = MakeTrainJob("mnist");
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->num_nodes = 2;
  tj.spec.trainer->env.push_back(EnvVar{"FROM_TRAINER", "t", {}});
  EnforceTorchMLPolicy(&info, &tj);
  const Container& node = NodeContainer(info);
  std::vector<std::string> names;
  for (const EnvVar& e : node.env)
    names.push_back(e.name);
  CHECK(names == std::vector<std::string>{"FROM_RUNTIME", "FROM_TRAINER", "PET_NNODES",
                                          "PET_NPROC_PER_NODE", "PET_NODE_RANK", "PET_MASTER_ADDR",
                                          "PET_MASTER_PORT"});
  CHECK(FindEnv(node.env, kPetNumNodes)->value == "2");
  CHECK(FindEnv(node.env, kPetNodeRank)->value_from->field_path ==
        "metadata.annotations['batch.kubernetes.io/job-completion-index']");
  CHECK(FindEnv(node.env, kPetMasterAddr)->value == "mnist-node-0-0.mnist");
  CHECK(FindEnv(node.env, kPetMasterPort)->value == "29500");
  REQUIRE(node.ports.size() == 1);
  CHECK(node.ports[0].container_port == 29500);
}

TEST_CASE("TestTorchEnforceMLPolicy without spec.trainer there is no PET env and no port") {
  // kubeflow/trainer#4076: `trainer: {}` gets them, an omitted trainer does not.
  RuntimeInfo info = NewRuntimeInfo(TorchDistributedRuntime().spec);
  TrainJob tj = MakeTrainJob();
  EnforceTorchMLPolicy(&info, &tj);
  CHECK(NodeContainer(info).env.empty());
  CHECK(NodeContainer(info).ports.empty());
}

TEST_CASE(
    "TestTorchEnforceMLPolicy torchtune gets a rendezvous endpoint instead of the master env") {
  RuntimeInfo info = NewRuntimeInfo(TorchDistributedRuntime().spec);
  TrainJob tj = MakeTrainJob("tune");
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->command = std::vector<std::string>{"tune", "run"};
  tj.spec.trainer->num_nodes = 2;
  EnforceTorchMLPolicy(&info, &tj);
  CHECK(FindEnv(NodeContainer(info).env, kPetMasterAddr) == nullptr);
  CHECK(FindEnv(NodeContainer(info).env, kPetNumNodes) != nullptr);
  CHECK(tj.spec.trainer->command->back() == "--rdzv_endpoint=tune-node-0-0.tune:29500");
}

RuntimeInfo WithSidecar() {
  auto rt = TorchDistributedRuntime().spec;
  Container check;
  check.name = "preflight-check";
  check.image = "busybox";
  rt.template_.spec.replicated_jobs[0].template_.spec.template_.spec.init_containers.push_back(
      check);
  rt.ml_policy->torch->env_injection_targets.push_back({"node", {"preflight-check"}});
  return NewRuntimeInfo(rt);
}

TEST_CASE("TestTorchEnforceMLPolicy envInjection targets get all five variables") {
  RuntimeInfo info = WithSidecar();
  TrainJob tj = MakeTrainJob("inj");
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->command = std::vector<std::string>{"tune", "run"};
  EnforceTorchMLPolicy(&info, &tj);
  const Container& init =
      info.template_spec.replicated_jobs[0].template_.spec.template_.spec.init_containers[0];
  REQUIRE(init.env.size() == 5);
  // Even under torchtune the targets keep PET_MASTER_ADDR and PET_MASTER_PORT.
  CHECK(FindEnv(init.env, kPetMasterAddr)->value == "inj-node-0-0.inj");
  CHECK(FindEnv(init.env, kPetMasterPort)->value == "29500");
}

TEST_CASE("TestTorchValidate an envInjection target the runtime lacks is refused") {
  auto rt = TorchDistributedRuntime().spec;
  rt.ml_policy->torch->env_injection_targets.push_back({"node", {"missing"}});
  const auto errors = ValidateTorch(NewRuntimeInfo(rt), MakeTrainJob());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].detail ==
        "envInjection target podSet \"node\" container \"missing\" not found in runtime template");
  CHECK(ValidateTorch(WithSidecar(), MakeTrainJob()).empty());
}

TEST_CASE("TestTorchValidate reserved environment variable present") {
  const RuntimeInfo info = NewRuntimeInfo(TorchDistributedRuntime().spec);
  TrainJob tj = MakeTrainJob();
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->env = {
      {"PET_NODE_RANK", "1", {}}, {"OK", "1", {}}, {"PET_MASTER_ADDR", "x", {}}};
  const auto errors = ValidateTorch(info, tj);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "spec.trainer.env");
  CHECK(errors[0].detail ==
        "must not have reserved envs, invalid envs configured: [PET_MASTER_ADDR PET_NODE_RANK]");
  tj.spec.trainer->env = {{"OK", "1", {}}};
  CHECK(ValidateTorch(info, tj).empty());
}

}  // namespace
}  // namespace ptsim
