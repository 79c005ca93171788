// The JobSet a TrainJob becomes (kubeflow/trainer v2.3.0
// plugins/jobset/builder.go and trainingruntime.go), step by step.
#include <catch2/catch.hpp>

#include "fakes/trainer/jobset_builder.hpp"
#include "tests/fakes/trainer/trainer_fixtures.hpp"

namespace ptsim {
namespace {

using testing::FindEnv;
using testing::MakeTrainJob;
using testing::Q;

const Container& Node(const JobSet& js) {
  return js.spec.replicated_jobs.at(0).template_.spec.template_.spec.containers.at(0);
}

ReplicatedJob InitializerJob(const char* name) {
  ReplicatedJob r;
  r.name = name;
  r.template_.metadata.labels[kAncestorStepLabel] = name;
  Container c;
  c.name = name;
  c.image = "init";
  c.volume_mounts.push_back(VolumeMount{"initializer", "/workspace", "", false});
  r.template_.spec.template_.spec.containers.push_back(c);
  return r;
}

TEST_CASE("The JobSet has the TrainJob's name, namespace, owner and the runtime's metadata") {
  auto rt = TorchDistributedRuntime().spec;
  rt.template_.metadata.labels["team"] = "a";
  rt.template_.metadata.annotations["note"] = "n";
  TrainJob tj = MakeTrainJob("mnist");
  tj.metadata.namespace_ = "ml";
  const JobSet js = BuildJobSet(tj, rt);
  CHECK(js.metadata.name == "mnist");
  CHECK(js.metadata.namespace_ == "ml");
  CHECK(js.metadata.labels.at("team") == "a");
  CHECK(js.metadata.annotations.at("note") == "n");
  REQUIRE(js.metadata.owner_references.size() == 1);
  const OwnerReference& o = js.metadata.owner_references[0];
  CHECK(o.kind == "TrainJob");
  CHECK(o.api_version == "trainer.kubeflow.org/v1alpha1");
  CHECK(o.uid == "uid-mnist");
  CHECK(o.controller);
  CHECK(js.spec.suspend == false);
  tj.spec.suspend = true;
  CHECK(BuildJobSet(tj, rt).spec.suspend == true);
}

TEST_CASE("SyncParallelCount sets parallelism and completions to the node count") {
  auto rt = TorchDistributedRuntime().spec;
  rt.ml_policy->num_nodes = 3;
  rt.template_.spec.replicated_jobs[0].replicas = 4;  // the trainer is forced to one Job
  ReplicatedJob side;
  side.name = "side";
  side.template_.spec.parallelism = 2;
  side.template_.spec.template_.spec.containers.push_back(Container{});
  rt.template_.spec.replicated_jobs.push_back(side);
  JobSet js = BuildJobSet(MakeTrainJob(), rt);
  CHECK(js.spec.replicated_jobs[0].replicas == 1);
  CHECK(js.spec.replicated_jobs[0].template_.spec.parallelism == 3);
  CHECK(js.spec.replicated_jobs[0].template_.spec.completions == 3);
  CHECK(js.spec.replicated_jobs[1].template_.spec.parallelism == 2);
  CHECK(js.spec.replicated_jobs[1].template_.spec.completions == 2);
  // trainer.numNodes wins over mlPolicy.numNodes (the Torch plugin).
  TrainJob tj = MakeTrainJob();
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->num_nodes = 7;
  js = BuildJobSet(tj, rt);
  CHECK(js.spec.replicated_jobs[0].template_.spec.completions == 7);
}

TEST_CASE("Builder.Trainer replaces image, command and args and upserts env") {
  auto rt = TorchDistributedRuntime().spec;
  Container& c = rt.template_.spec.replicated_jobs[0].template_.spec.template_.spec.containers[0];
  c.command = {"old"};
  c.args = {"keep"};
  c.env = {{"A", "runtime", {}}, {"B", "runtime", {}}};
  TrainJob tj = MakeTrainJob();
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->image = "me/train:1";
  tj.spec.trainer->command = std::vector<std::string>{"torchrun", "train.py"};
  tj.spec.trainer->env = {{"B", "trainer", {}}, {"C", "trainer", {}}};
  const JobSet js = BuildJobSet(tj, rt);
  const Container& node = Node(js);
  CHECK(node.image == "me/train:1");
  CHECK(node.command == std::vector<std::string>{"torchrun", "train.py"});
  CHECK(node.args == std::vector<std::string>{"keep"});  // not set: the runtime's stays
  CHECK(node.env[0].name == "A");
  CHECK(node.env[1].value == "trainer");  // B keeps its place
  CHECK(node.env[2].name == "C");
  CHECK(node.env[3].name == "PET_NNODES");
}

TEST_CASE("resourcesPerNode is merged per resource onto the node container") {
  auto rt = TorchDistributedRuntime().spec;
  rt.template_.spec.replicated_jobs[0].template_.spec.template_.spec.containers[0].resources = {
      {{"cpu", Q("1")}, {"memory", Q("1Gi")}}, {{"cpu", Q("1")}}};
  TrainJob tj = MakeTrainJob();
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->resources_per_node = ResourceRequirements{{{"cpu", Q("4")}}, {}};
  const Container& node = Node(BuildJobSet(tj, rt));
  CHECK(node.resources.limits.at("cpu") == Q("4"));
  CHECK(node.resources.limits.at("memory") == Q("1Gi"));
  CHECK(node.resources.requests.at("cpu") == Q("1"));
}

TEST_CASE("Initializers get replicas 1, STORAGE_URI and their env") {
  auto rt = TorchDistributedRuntime().spec;
  auto& rjobs = rt.template_.spec.replicated_jobs;
  rjobs.insert(rjobs.begin(), InitializerJob(kModelInitializer));
  rjobs.insert(rjobs.begin(), InitializerJob(kDatasetInitializer));
  rjobs[0].replicas = 2;
  TrainJob tj = MakeTrainJob();
  tj.spec.initializer = Initializer{};
  tj.spec.initializer->dataset = InitializerSpec{"hf://data", {{"X", "1", {}}}, std::nullopt};
  const JobSet js = BuildJobSet(tj, rt);
  CHECK(js.spec.replicated_jobs[0].replicas == 1);
  const auto& env = js.spec.replicated_jobs[0].template_.spec.template_.spec.containers[0].env;
  REQUIRE(env.size() == 2);
  CHECK(env[0].name == "STORAGE_URI");
  CHECK(env[0].value == "hf://data");
  CHECK(env[1].name == "X");
  // No model in the TrainJob: the model initializer is untouched but for replicas.
  CHECK(js.spec.replicated_jobs[1].template_.spec.template_.spec.containers[0].env.empty());
}

TEST_CASE("runtimePatches are merged in order") {
  auto rt = TorchDistributedRuntime().spec;
  rt.template_.spec.replicated_jobs[0].template_.spec.template_.spec.node_selector["zone"] = "a";
  TrainJob tj = MakeTrainJob();
  RuntimePatch first{"kueue.x-k8s.io/one", std::nullopt, nlohmann::json::parse(R"({
    "template": {"metadata": {"labels": {"l": "1"}},
      "spec": {"replicatedJobs": [{"name": "node", "template": {
        "metadata": {"annotations": {"a": "1"}},
        "spec": {"template": {"metadata": {"labels": {"pod": "1"}}, "spec": {
          "nodeSelector": {"gpu": "h100"},
          "tolerations": [{"key": "k", "operator": "Exists"}],
          "volumes": [{"name": "data", "emptyDir": {}}],
          "containers": [{"name": "node", "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]
        }}}}}]}}})")};
  RuntimePatch second{"example.com/two", std::nullopt, nlohmann::json::parse(R"({
    "template": {"metadata": {"labels": {"l": "2"}}}})")};
  tj.spec.runtime_patches = {first, second};
  const JobSet js = BuildJobSet(tj, rt);
  CHECK(js.metadata.labels.at("l") == "2");  // the later patch wins
  const ReplicatedJob& r = js.spec.replicated_jobs[0];
  CHECK(r.template_.metadata.annotations.at("a") == "1");
  const PodTemplateSpec& pod = r.template_.spec.template_;
  CHECK(pod.metadata.labels.at("pod") == "1");
  CHECK(pod.spec.node_selector.at("zone") == "a");
  CHECK(pod.spec.node_selector.at("gpu") == "h100");
  REQUIRE(pod.spec.tolerations.size() == 1);
  CHECK(pod.spec.tolerations[0].op == "Exists");
  REQUIRE(pod.spec.volumes.size() == 1);
  REQUIRE(pod.spec.containers.size() == 1);
  REQUIRE(pod.spec.containers[0].volume_mounts.size() == 1);
  CHECK(pod.spec.containers[0].volume_mounts[0].mount_path == "/d");
  CHECK(pod.spec.containers[0].image == kDefaultRuntimeImage);
}

TEST_CASE("The JobSet webhook caps a TrainJob name at 48 characters for fewer than 11 nodes") {
  const auto rt = TorchDistributedRuntime().spec;
  TrainJob tj = MakeTrainJob(std::string(48, 'a'));
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->num_nodes = 10;
  CHECK(ValidateJobSetPodNames(BuildJobSet(tj, rt)).empty());
  tj.metadata.name = std::string(49, 'a');
  const auto errors = ValidateJobSetPodNames(BuildJobSet(tj, rt));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].detail ==
        "JobSet name is too long, pod names generated for this JobSet will exceed 63 characters");
  // 11 nodes make the pod index two digits long.
  tj.metadata.name = std::string(48, 'a');
  tj.spec.trainer->num_nodes = 11;
  CHECK_FALSE(ValidateJobSetPodNames(BuildJobSet(tj, rt)).empty());
}

}  // namespace
}  // namespace ptsim
