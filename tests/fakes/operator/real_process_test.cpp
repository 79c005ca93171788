// Restart policies end to end with real processes
// (docs/upstream/training-operator.md#restart-policies): short `sh -c`
// containers run by the kubelet, exit codes and signals reaching the controller
// through pod status. Virtual time follows the wall clock while a process runs;
// each case ends in well under a second.
#include <catch2/catch.hpp>

#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::Cond;
using testing::OperatorCluster;
using Strings = std::vector<std::string>;

// A Master + Worker job whose pytorch containers run `sh -c <script>`.
std::string RealJob(const std::string& name, const std::string& policy,
                    const std::string& master_script, const std::string& worker_script,
                    int workers = 1) {
  auto replica = [&](const std::string& type, int n, const std::string& script) {
    return "    " + type + ":\n      replicas: " + std::to_string(n) +
           "\n      restartPolicy: " + policy +
           "\n      template:\n        spec:\n          containers:\n"
           "          - name: pytorch\n            image: trainer\n"
           "            command: [sh, -c, '" +
           script + "']\n";
  };
  std::string yaml = "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: " + name +
                     "}\nspec:\n  pytorchReplicaSpecs:\n";
  if (!master_script.empty()) yaml += replica("Master", 1, master_script);
  yaml += replica("Worker", workers, worker_script);
  return yaml;
}

// Waits for `done`, at most 3 seconds of wall (= virtual) time.
bool Await(OperatorCluster& c, const std::function<bool()>& done) {
  return c.RunUntilFor(done, 3);
}

TEST_CASE("real processes, Never: a worker that exits 1 fails the job") {
  OperatorCluster c(kDefaultOperatorVersion, /*real_processes=*/true);
  c.AddNode("node-1");
  c.CreateJob(RealJob("nv", "Never", "sleep 30", "exit 1"));
  REQUIRE(Await(c, [&] { return c.HasJobCondition("Failed", "nv"); }));
  CHECK(c.Conditions("nv").back() ==
        Cond{"Failed", "True", "PyTorchJobFailed",
             "PyTorchJob nv is failed because 1 Worker replica(s) failed."});
  CHECK(c.Job("nv")->status.completion_time);
  auto worker = c.FindPod("nv-worker-0");
  CHECK(worker->status.phase == "Failed");
  CHECK(worker->status.container_statuses.at(0).state.terminated->exit_code == 1);
  CHECK(c.loop.Now() < kRunStart + Seconds(1));
}

TEST_CASE("real processes, OnFailure: a worker restarts in place and the job succeeds") {
  OperatorCluster c(kDefaultOperatorVersion, true);
  c.AddNode("node-1");
  const std::string d = c.dir.path();
  c.CreateJob(RealJob("of", "OnFailure", "while [ ! -e " + d + "/done ]; do sleep 0.01; done",
                      "if [ -e " + d + "/ran ]; then touch " + d + "/done; exit 0; fi; touch " + d +
                          "/ran; exit 3"));
  REQUIRE(Await(c, [&] { return c.HasJobCondition("Succeeded", "of"); }));
  auto worker = c.FindPod("of-worker-0");
  CHECK(worker->status.container_statuses.at(0).restart_count == 1);
  CHECK(worker->status.container_statuses.at(0).last_state.terminated->exit_code == 3);
  CHECK(c.States("of") == Strings{"Created", "Running", "Succeeded"});
  CHECK(c.loop.Now() < kRunStart + Seconds(1));
}

TEST_CASE("real processes, ExitCode: a worker killed by SIGKILL (137) is recreated") {
  OperatorCluster c(kDefaultOperatorVersion, true);
  c.AddNode("node-1");
  const std::string d = c.dir.path();
  c.CreateJob(RealJob("ec", "ExitCode", "while [ ! -e " + d + "/done ]; do sleep 0.01; done",
                      "if [ -e " + d + "/ran ]; then touch " + d + "/done; exit 0; fi; touch " + d +
                          "/ran; kill -9 $$$$"));  // Kubernetes reads $$ as $
  REQUIRE(Await(c, [&] { return c.FindPod("ec-worker-0") != nullptr; }));
  const std::string uid = c.FindPod("ec-worker-0")->metadata.uid;
  REQUIRE(Await(c, [&] { return c.HasJobCondition("Succeeded", "ec"); }));
  CHECK(c.FindPod("ec-worker-0")->metadata.uid != uid);
  auto exited = c.JobEvents("ec", "ExitedWithCode");
  REQUIRE_FALSE(exited.empty());
  CHECK(exited[0].message == "Pod: default.ec-worker-0 exited with code 137");
  CHECK(c.JobEvents("ec", "PyTorchJobRestarting").size() >= 1);
  CHECK(c.loop.Now() < kRunStart + Seconds(1));
}

TEST_CASE("real processes, ExitCode: a worker that exits 1 fails the job") {
  OperatorCluster c(kDefaultOperatorVersion, true);
  c.AddNode("node-1");
  c.CreateJob(RealJob("ec", "ExitCode", "sleep 30", "exit 1"));
  REQUIRE(Await(c, [&] { return c.HasJobCondition("Failed", "ec"); }));
  CHECK(c.Conditions("ec").back() ==
        Cond{"Failed", "True", "PyTorchJobFailed",
             "job \"ec\" is failing because \"Worker\" replica(s) failed."});
  CHECK_FALSE(c.Job("ec")->status.completion_time);
  CHECK(c.FindPod("ec-worker-0")->status.phase == "Failed");
  CHECK(c.loop.Now() < kRunStart + Seconds(1));
}

TEST_CASE("real processes see the operator's env: a worker-only job checks its own PET_NNODES") {
  OperatorCluster c(kDefaultOperatorVersion, true);
  c.AddNode("node-1");
  c.CreateJob(RealJob("env", "Never", "",
                      "test \"$PET_NNODES\" = 2 && test \"$PYTHONUNBUFFERED\" = 1 && "
                      "test -z \"$RANK\"",
                      2));
  REQUIRE(Await(c, [&] { return c.HasJobCondition("Succeeded", "env"); }));
  CHECK(c.Conditions("env").back() == Cond{"Succeeded", "True", "PyTorchJobSucceeded",
                                           "PyTorchJob default/env successfully completed."});
  CHECK(c.loop.Now() < kRunStart + Seconds(1));
}

}  // namespace
}  // namespace ptsim
