// What the operator puts in the pods and services it creates
// (docs/upstream/training-operator.md, from #names-labels-and-owner-references
// to #services): the environment in upstream order and values, labels, owner
// references, service ports, the init container. The cases upstream leaves
// untested. No nodes: the objects are only inspected.
#include <catch2/catch.hpp>

#include "fakes/operator/pod_env.hpp"
#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::OperatorCluster;
using Strings = std::vector<std::string>;

// A job named `env-job`: Master (when `master`) and `workers` Workers with a
// plain pytorch container, plus `spec_extra` under spec.
std::string Job(bool master, int workers, const std::string& spec_extra = "",
                const std::string& container_extra = "") {
  std::string yaml =
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: env-job}\n"
      "spec:\n" +
      spec_extra + "  pytorchReplicaSpecs:\n";
  auto replica = [&](const std::string& type, int n) {
    return "    " + type + ":\n      replicas: " + std::to_string(n) +
           "\n      template:\n        spec:\n          containers:\n"
           "          - name: pytorch\n            image: trainer\n" +
           container_extra;
  };
  if (master) yaml += replica("Master", 1);
  if (workers > 0) yaml += replica("Worker", workers);
  return yaml;
}

// ---------------------------------------------------------------------------
// Environment (envvar.go, master.go, elastic.go;
// docs/upstream/training-operator.md#environment)

TEST_CASE("a Master and Worker job gets the rendezvous variables in upstream order") {
  OperatorCluster c;
  c.CreateJob(Job(true, 3));
  CHECK(c.EnvList("env-job-master-0") ==
        Strings{"PYTHONUNBUFFERED=1", "MASTER_PORT=23456", "PET_MASTER_PORT=23456",
                "MASTER_ADDR=env-job-master-0", "PET_MASTER_ADDR=env-job-master-0", "WORLD_SIZE=4",
                "RANK=0", "PET_NODE_RANK=0", "PET_NPROC_PER_NODE=auto", "PET_NNODES=4"});
  CHECK(c.EnvList("env-job-worker-2") ==
        Strings{"PYTHONUNBUFFERED=1", "MASTER_PORT=23456", "PET_MASTER_PORT=23456",
                "MASTER_ADDR=env-job-master-0", "PET_MASTER_ADDR=env-job-master-0", "WORLD_SIZE=4",
                "RANK=3", "PET_NODE_RANK=3", "PET_NPROC_PER_NODE=auto", "PET_NNODES=4"});
  CHECK(c.Env("env-job-worker-0", "RANK") == "1");
  CHECK(c.Env("env-job-worker-1", "RANK") == "2");
}

TEST_CASE("nprocPerNode 2 multiplies WORLD_SIZE but not PET_NNODES (examples/pytorch/cpu-demo)") {
  OperatorCluster c;
  c.CreateJob(Job(true, 1, "  nprocPerNode: \"2\"\n"));
  for (const std::string pod : {"env-job-master-0", "env-job-worker-0"}) {
    CHECK(c.Env(pod, "WORLD_SIZE") == "4");
    CHECK(c.Env(pod, "PET_NPROC_PER_NODE") == "2");
    CHECK(c.Env(pod, "PET_NNODES") == "2");
  }
  CHECK(c.Env("env-job-master-0", "RANK") == "0");
  CHECK(c.Env("env-job-worker-0", "RANK") == "1");
  CHECK(c.Env("env-job-worker-0", "PET_NODE_RANK") == "1");
}

TEST_CASE("an nprocPerNode that is not an integer counts as 1 in WORLD_SIZE") {
  for (const std::string nproc : {"gpu", "cpu", "+-2", "2x"}) {
    OperatorCluster c;
    c.CreateJob(Job(true, 1, "  nprocPerNode: \"" + nproc + "\"\n"));
    INFO(nproc);
    CHECK(c.Env("env-job-master-0", "WORLD_SIZE") == "2");
    CHECK(c.Env("env-job-master-0", "PET_NPROC_PER_NODE") == nproc);
  }
  OperatorCluster c;
  c.CreateJob(Job(true, 1, "  nprocPerNode: \"+3\"\n"));
  CHECK(c.Env("env-job-master-0", "WORLD_SIZE") == "6");  // strconv.Atoi reads "+3"
}

TEST_CASE("a worker-only job without elasticPolicy gets no MASTER_ADDR, WORLD_SIZE or RANK") {
  OperatorCluster c;
  c.CreateJob(Job(false, 2));
  for (const std::string pod : {"env-job-worker-0", "env-job-worker-1"}) {
    CHECK(c.EnvList(pod) ==
          Strings{"PYTHONUNBUFFERED=1", "PET_NPROC_PER_NODE=auto", "PET_NNODES=2"});
  }
}

TEST_CASE("an elastic job with every optional field gets the elastic variables in upstream order") {
  OperatorCluster c;
  c.CreateJob(Job(false, 2, R"(  elasticPolicy:
    minReplicas: 1
    maxReplicas: 4
    rdzvBackend: etcd-v2
    rdzvHost: rdzv.example
    rdzvPort: 29400
    rdzvId: abc
    rdzvConf:
    - {key: join_timeout, value: "900"}
    - {key: last_call_timeout, value: "30"}
    standalone: true
    nProcPerNode: 8
    maxRestarts: 7
)"));
  // spec.nprocPerNode stays unset (the deprecated field is set), so the only
  // PET_NPROC_PER_NODE is the elastic generator's.
  CHECK(c.EnvList("env-job-worker-1") ==
        Strings{"PYTHONUNBUFFERED=1", "PET_RDZV_ENDPOINT=rdzv.example:29400",
                "PET_RDZV_BACKEND=etcd-v2", "PET_NNODES=1:4", "PET_MAX_RESTARTS=7",
                "PET_NPROC_PER_NODE=8", "PET_RDZV_ID=abc",
                "PET_RDZV_CONF=join_timeout=900,last_call_timeout=30", "PET_STANDALONE="});
}

TEST_CASE("an elastic job with an empty elasticPolicy rendezvouses at worker 0 with c10d") {
  OperatorCluster c;
  c.CreateJob(Job(false, 3, "  elasticPolicy: {}\n"));
  CHECK(c.EnvList("env-job-worker-2") == Strings{"PYTHONUNBUFFERED=1", "PET_NPROC_PER_NODE=auto",
                                                 "PET_RDZV_ENDPOINT=env-job-worker-0:23456",
                                                 "PET_RDZV_BACKEND=c10d", "PET_NNODES=3:3"});
}

TEST_CASE("a Master job with elasticPolicy gets both the master and the elastic variables") {
  OperatorCluster c;
  c.CreateJob(Job(true, 2, "  elasticPolicy: {maxReplicas: 5}\n"));
  CHECK(c.EnvList("env-job-worker-0") ==
        Strings{"PYTHONUNBUFFERED=1", "MASTER_PORT=23456", "PET_MASTER_PORT=23456",
                "MASTER_ADDR=env-job-master-0", "PET_MASTER_ADDR=env-job-master-0", "WORLD_SIZE=3",
                "RANK=1", "PET_NODE_RANK=1", "PET_NPROC_PER_NODE=auto",
                "PET_RDZV_ENDPOINT=env-job-worker-0:23456", "PET_RDZV_BACKEND=c10d",
                "PET_NNODES=5:5"});
}

TEST_CASE("the operator appends to the user's env in every app container, not init containers") {
  OperatorCluster c;
  c.CreateJob(R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: env-job}
spec:
  pytorchReplicaSpecs:
    Worker:
      replicas: 1
      template:
        spec:
          initContainers:
          - {name: setup, image: busybox, env: [{name: A, value: "1"}]}
          containers:
          - name: sidecar
            image: proxy
          - name: pytorch
            image: trainer
            env:
            - {name: PET_NNODES, value: "99"}
            - {name: LOGLEVEL, value: DEBUG}
)");
  CHECK(c.EnvList("env-job-worker-0") == Strings{"PET_NNODES=99", "LOGLEVEL=DEBUG",
                                                 "PYTHONUNBUFFERED=1", "PET_NPROC_PER_NODE=auto",
                                                 "PET_NNODES=1"});
  CHECK(c.Env("env-job-worker-0", "PET_NNODES") == "1");  // the later entry wins
  CHECK(c.EnvList("env-job-worker-0", "sidecar") ==
        Strings{"PYTHONUNBUFFERED=1", "PET_NPROC_PER_NODE=auto", "PET_NNODES=1"});
  auto pod = c.FindPod("env-job-worker-0");
  REQUIRE(pod->spec.init_containers.size() == 1);
  CHECK(pod->spec.init_containers[0].env.size() == 1);
}

TEST_CASE("MASTER_PORT comes from the Master's pytorchjob-port and the services use it") {
  OperatorCluster c;
  c.CreateJob(Job(true, 1, "",
                  "            ports:\n            - {name: pytorchjob-port, containerPort: "
                  "29500}\n            - {name: metrics, containerPort: 9090}\n"));
  CHECK(c.Env("env-job-worker-0", "MASTER_PORT") == "29500");
  CHECK(c.Env("env-job-worker-0", "PET_MASTER_PORT") == "29500");
  auto svc = c.FindService("env-job-master-0");
  REQUIRE(svc);
  // Every port of the pytorch container, sorted by name (a Go map upstream).
  REQUIRE(svc->spec.ports.size() == 2);
  CHECK(svc->spec.ports[0].name == "metrics");
  CHECK(svc->spec.ports[0].port == 9090);
  CHECK(svc->spec.ports[1].name == "pytorchjob-port");
  CHECK(svc->spec.ports[1].port == 29500);
}

TEST_CASE("pods keep the env of their creation when the job is scaled") {
  OperatorCluster c;
  c.CreateJob(Job(true, 1));
  c.EditJob("env-job",
            [](PyTorchJob& j) { j.spec.pytorch_replica_specs->at("Worker").replicas = 3; });
  CHECK(c.Env("env-job-master-0", "WORLD_SIZE") == "2");
  CHECK(c.Env("env-job-worker-0", "WORLD_SIZE") == "2");
  CHECK(c.Env("env-job-worker-2", "WORLD_SIZE") == "4");
  CHECK(c.Env("env-job-worker-2", "PET_NNODES") == "4");
}

// ---------------------------------------------------------------------------
// Labels, owner references, services, init container
// (docs/upstream/training-operator.md#names-labels-and-owner-references,
// #the-init-container, #services)

TEST_CASE("pods carry the operator's labels over the template's, and job-role on the Master") {
  OperatorCluster c;
  c.CreateJob(R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: lbl}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        metadata:
          labels: {app: train, training.kubeflow.org/job-name: other}
          annotations: {team: ml}
        spec:
          containers: [{name: pytorch, image: trainer}]
    Worker:
      replicas: 2
      template:
        spec:
          containers: [{name: pytorch, image: trainer}]
)");
  const Labels master = {{"app", "train"},
                         {"training.kubeflow.org/job-name", "lbl"},
                         {"training.kubeflow.org/job-role", "master"},
                         {"training.kubeflow.org/operator-name", "pytorchjob-controller"},
                         {"training.kubeflow.org/replica-index", "0"},
                         {"training.kubeflow.org/replica-type", "master"}};
  CHECK(c.FindPod("lbl-master-0")->metadata.labels == master);
  CHECK(c.FindPod("lbl-master-0")->metadata.annotations.at("team") == "ml");
  const Labels worker1 = {{"training.kubeflow.org/job-name", "lbl"},
                          {"training.kubeflow.org/operator-name", "pytorchjob-controller"},
                          {"training.kubeflow.org/replica-index", "1"},
                          {"training.kubeflow.org/replica-type", "worker"}};
  CHECK(c.FindPod("lbl-worker-1")->metadata.labels == worker1);
  CHECK_FALSE(c.FindPod("lbl-worker-0")->metadata.labels.count(kJobRoleLabel));
  // Services select their own pod by the four labels, never by job-role.
  auto svc = c.FindService("lbl-master-0");
  REQUIRE(svc);
  CHECK_FALSE(svc->metadata.labels.count(kJobRoleLabel));
  CHECK(svc->spec.selector.at("training.kubeflow.org/replica-type") == "master");
  CHECK(svc->spec.cluster_ip == "None");
  CHECK(c.Job("lbl")->status.replica_statuses.at("Worker").selector ==
        "training.kubeflow.org/job-name=lbl,training.kubeflow.org/operator-name=pytorchjob-"
        "controller,training.kubeflow.org/replica-type=worker");
}

TEST_CASE("without a Master, worker 0 carries job-role master") {
  OperatorCluster c;
  c.CreateJob(Job(false, 2));
  CHECK(c.FindPod("env-job-worker-0")->metadata.labels.at(kJobRoleLabel) == "master");
  CHECK_FALSE(c.FindPod("env-job-worker-1")->metadata.labels.count(kJobRoleLabel));
}

TEST_CASE("every pod and service of a job has one controller owner reference to the job") {
  OperatorCluster c;
  auto job = c.CreateJob(Job(true, 2));
  for (const auto& name : c.PodNames()) {
    auto pod = c.FindPod(name);
    auto svc = c.FindService(name);
    REQUIRE(svc);
    for (const ObjectMeta* m : {&pod->metadata, &svc->metadata}) {
      REQUIRE(m->owner_references.size() == 1);
      const auto& r = m->owner_references[0];
      CHECK(r.api_version == "kubeflow.org/v1");
      CHECK(r.kind == "PyTorchJob");
      CHECK(r.name == "env-job");
      CHECK(r.uid == job->metadata.uid);
      CHECK(r.controller);
      CHECK(r.block_owner_deletion);
    }
  }
  CHECK(c.PodNames() == Strings{"env-job-master-0", "env-job-worker-0", "env-job-worker-1"});
  CHECK(c.ServiceNames() == c.PodNames());
}

TEST_CASE(
    "workers of a job with a Master wait for it in init-pytorch, after user init containers") {
  OperatorCluster c;
  c.CreateJob(R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: init}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec:
          containers: [{name: pytorch, image: trainer}]
    Worker:
      replicas: 1
      template:
        spec:
          initContainers: [{name: fetch, image: busybox}]
          containers: [{name: pytorch, image: trainer}]
)");
  CHECK(c.FindPod("init-master-0")->spec.init_containers.empty());
  const auto& inits = c.FindPod("init-worker-0")->spec.init_containers;
  REQUIRE(inits.size() == 2);
  CHECK(inits[0].name == "fetch");
  const Container& ic = inits[1];
  CHECK(ic.name == "init-pytorch");
  CHECK(ic.image == "alpine:3.10");
  CHECK(ic.image_pull_policy == "IfNotPresent");
  CHECK(ic.resources.limits.at("cpu").milli() == 100);
  CHECK(ic.resources.limits.at("memory").milli() == 20LL * 1024 * 1024 * 1000);
  CHECK(ic.resources.requests.at("cpu").milli() == 50);
  CHECK(ic.resources.requests.at("memory").milli() == 10LL * 1024 * 1024 * 1000);
  CHECK(ic.command ==
        Strings{"sh", "-c",
                "err=1;for i in $(seq 100); do if nslookup init-master-0; then err=0 && break; "
                "fi;echo waiting for master; sleep 2; done; exit $err"});
  CHECK(ic.env.empty());
}

}  // namespace
}  // namespace ptsim
