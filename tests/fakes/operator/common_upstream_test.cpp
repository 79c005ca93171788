// The upstream tests of pkg/controller.v1/common (training-operator v1.9.0, and
// v1.9.4 where noted; docs/upstream/training-operator.md#upstream-tests),
// ported. The cases about what the reconcile loop does to pods and services
// drive the controller through the store; those about pure helpers call the
// ptsim function of the same name in fakes/operator.
#include <catch2/catch.hpp>

#include "fakes/operator/job_naming.hpp"
#include "fakes/operator/job_policies.hpp"
#include "tests/support/operator_cluster.hpp"

namespace ptsim {
namespace {

using testing::OperatorCluster;
using testing::UpstreamJobYaml;
using Names = std::vector<std::string>;

// newPod of job_test.go / pod_test.go: labelled replica-type=`rtype`.
PodPtr NewPod(const std::string& name, const std::string& phase, const std::string& rtype = "test",
              int restarts = 0, std::optional<int> index = std::nullopt) {
  Pod pod;
  pod.metadata.name = name;
  pod.metadata.labels[kReplicaTypeLabel] = rtype;
  if (index) pod.metadata.labels[kReplicaIndexLabel] = std::to_string(*index);
  pod.status.phase = phase;
  if (restarts > 0) {
    ContainerStatus s;
    s.restart_count = restarts;
    pod.status.container_statuses.push_back(s);
  }
  return std::make_shared<const Pod>(pod);
}

std::shared_ptr<const Service> NewService(const std::string& name, const std::string& rtype,
                                          std::optional<int> index = std::nullopt) {
  Service svc;
  svc.metadata.name = name;
  svc.metadata.labels[kReplicaTypeLabel] = rtype;
  if (index) svc.metadata.labels[kReplicaIndexLabel] = std::to_string(*index);
  return std::make_shared<const Service>(svc);
}

// ---------------------------------------------------------------------------
// job_test.go TestDeletePodsAndServices. The master pod plays runningPod and
// the worker pod succeededPod; the job then gets the case's condition (or is
// suspended through its spec, which is how a job reaches the suspend branch).

struct Remaining {
  Names pods;
  Names services;
};

Remaining AfterCleanup(const std::string& policy, const std::string& condition) {
  OperatorCluster c;
  c.CreateJob(UpstreamJobYaml(1, "  runPolicy:\n    cleanPodPolicy: " + policy + "\n"));
  c.SetPodPhase("test-job-worker-0", "Succeeded");
  c.SetPodPhase("test-job-master-0", "Running");
  REQUIRE(c.HasJobCondition("Running"));
  if (condition == "Suspended") {
    c.EditJob("test-job", [](PyTorchJob& j) { j.spec.run_policy.suspend = true; });
  } else {
    c.SetJobStatus("test-job", [&](JobStatus& s) {
      UpdateJobConditions(&s, condition, "True", JobReason(condition), "set by the test",
                          c.loop.Now());
    });
  }
  return {c.PodNames(), c.ServiceNames()};
}

TEST_CASE("upstream TestDeletePodsAndServices: Succeeded job and cleanPodPolicy is Running") {
  auto r = AfterCleanup("Running", "Succeeded");
  CHECK(r.pods == Names{"test-job-worker-0"});
  CHECK(r.services == Names{"test-job-worker-0"});
}

TEST_CASE("upstream TestDeletePodsAndServices: Suspended job and cleanPodPolicy is Running") {
  auto r = AfterCleanup("Running", "Suspended");
  CHECK(r.pods.empty());
  CHECK(r.services.empty());
}

TEST_CASE("upstream TestDeletePodsAndServices: Finished job and cleanPodPolicy is All") {
  auto r = AfterCleanup("All", "Succeeded");
  CHECK(r.pods.empty());
  CHECK(r.services.empty());
}

TEST_CASE("upstream TestDeletePodsAndServices: Finished job and cleanPodPolicy is None") {
  auto r = AfterCleanup("None", "Failed");
  CHECK(r.pods == Names{"test-job-master-0", "test-job-worker-0"});
  CHECK(r.services == Names{"test-job-master-0", "test-job-worker-0"});
}

TEST_CASE("upstream TestDeletePodsAndServices: Suspended job and cleanPodPolicy is None") {
  auto r = AfterCleanup("None", "Suspended");
  CHECK(r.pods.empty());
  CHECK(r.services.empty());
}

// v1.9.4 adds this case. An unfinished job reaches DeletePodsAndServices on
// the backoff/deadline path; up to v1.9.3 the Failed condition comes after the
// deletion, so the policy is ignored.
TEST_CASE(
    "upstream TestDeletePodsAndServices (v1.9.4): Unfinished job with cleanPodPolicy None "
    "deletes pods (pre-fix backoffLimit bug)") {
  RunPolicy policy;
  policy.clean_pod_policy = "None";
  const std::vector<PodPtr> pods = {NewPod("runningPod", "Running"),
                                    NewPod("succeededPod", "Succeeded")};
  CHECK(PodsToClean(policy, /*job_finished=*/false, pods).size() == 2);

  OperatorCluster c(OperatorVersion::kV1_9_0);
  c.CreateJob(UpstreamJobYaml(1, "  runPolicy:\n    cleanPodPolicy: None\n    backoffLimit: 1\n"));
  c.SetPodPhase("test-job-worker-0", "Succeeded");
  c.SetPodRunningWithRestarts("test-job-master-0", 1);
  CHECK(c.HasJobCondition("Failed"));
  CHECK(c.PodNames().empty());
  CHECK(c.ServiceNames().empty());
}

// ---------------------------------------------------------------------------
// job_test.go TestPastBackoffLimit: replica "test" with OnFailure.

TEST_CASE("upstream TestPastBackoffLimit: backOffLimit is 0") {
  RunPolicy policy;
  policy.backoff_limit = 0;
  ReplicaSpecs replicas;
  replicas["test"].restart_policy = "OnFailure";
  const std::vector<PodPtr> pods = {NewPod("runningPod", "Running"),
                                    NewPod("succeededPod", "Succeeded")};
  CHECK_FALSE(PastBackoffLimit(policy, replicas, pods));
}

TEST_CASE("upstream TestPastBackoffLimit: backOffLimit is 3") {
  RunPolicy policy;
  policy.backoff_limit = 3;
  ReplicaSpecs replicas;
  replicas["test"].restart_policy = "OnFailure";
  const std::vector<PodPtr> pods = {NewPod("runningPod", "Running"),
                                    NewPod("succeededPod", "Succeeded"),
                                    NewPod("runningPodWithBackoff", "Running", "test", 3)};
  CHECK(PastBackoffLimit(policy, replicas, pods));
}

// job_test.go TestPastActiveDeadline: startTime = now.

TEST_CASE("upstream TestPastActiveDeadline: activeDeadlineSeconds is 0") {
  RunPolicy policy;
  policy.active_deadline_seconds = 0;
  JobStatus status;
  status.start_time = kRunStart + Seconds(100);
  CHECK(PastActiveDeadline(policy, status, kRunStart + Seconds(100)));
}

TEST_CASE("upstream TestPastActiveDeadline: activeDeadlineSeconds is 2") {
  RunPolicy policy;
  policy.active_deadline_seconds = 2;
  JobStatus status;
  status.start_time = kRunStart + Seconds(100);
  CHECK_FALSE(PastActiveDeadline(policy, status, kRunStart + Seconds(100)));
}

// ---------------------------------------------------------------------------
// job_test.go TestManagedByExternalController (v1.9.0+): a job whose managedBy
// names another controller is skipped by Reconcile. The webhook admits only
// two values, so the others are stored past admission.

bool Reconciled(const std::string& managed_by_line) {
  OperatorCluster c;
  c.CreateJobUnchecked(UpstreamJobYaml(1, managed_by_line));
  c.RunFor(1);
  const bool has_status = !c.Job()->status.conditions.empty() || c.Job()->status.start_time;
  CHECK(has_status == !c.PodNames().empty());
  return has_status;
}

TEST_CASE("upstream TestManagedByExternalController: managedBy is nil") {
  CHECK(Reconciled(""));
}

TEST_CASE("upstream TestManagedByExternalController: managedBy is empty") {
  CHECK_FALSE(Reconciled("  runPolicy:\n    managedBy: \"\"\n"));
}

TEST_CASE("upstream TestManagedByExternalController: managedBy is training-operator controller") {
  CHECK(Reconciled("  runPolicy:\n    managedBy: kubeflow.org/training-operator\n"));
}

TEST_CASE(
    "upstream TestManagedByExternalController: managedBy is not the training-operator "
    "controller") {
  CHECK_FALSE(Reconciled("  runPolicy:\n    managedBy: kueue.x-k8s.io/multikueue\n"));
}

TEST_CASE("upstream TestManagedByExternalController: managedBy is other value") {
  CHECK_FALSE(Reconciled("  runPolicy:\n    managedBy: other-job-controller\n"));
}

// ---------------------------------------------------------------------------
// job_test.go TestBackoffLimitExceededRespectsCleanPodPolicy (v1.9.4 only):
// master-0 Running with 3 restarts, worker-0 Running, backoffLimit 3. "JobFailed
// set before delete" is v1.9.4; "without" is the order up to v1.9.3.

Names AfterBackoffFailure(OperatorVersion version, const std::string& policy) {
  OperatorCluster c(version);
  c.CreateJob(UpstreamJobYaml(
      1, "  runPolicy:\n    cleanPodPolicy: " + policy + "\n    backoffLimit: 3\n"));
  c.SetPodPhase("test-job-worker-0", "Running");
  c.SetPodRunningWithRestarts("test-job-master-0", 3);
  auto job = c.Job();
  CHECK(job->status.completion_time);
  CHECK(c.Conditions().back() ==
        testing::Cond{"Failed", "True", "PyTorchJobFailed",
                      "Job test-job has failed because it has reached the specified backoff "
                      "limit"});
  CHECK(c.PodNames().size() == c.ServiceNames().size());
  return c.PodNames();
}

TEST_CASE(
    "upstream TestBackoffLimitExceededRespectsCleanPodPolicy: cleanPodPolicy None with JobFailed "
    "set before delete (fixed)") {
  CHECK(AfterBackoffFailure(OperatorVersion::kV1_9_4, "None").size() == 2);
}

TEST_CASE(
    "upstream TestBackoffLimitExceededRespectsCleanPodPolicy: cleanPodPolicy None without "
    "JobFailed set before delete (buggy)") {
  CHECK(AfterBackoffFailure(OperatorVersion::kV1_9_0, "None").empty());
}

TEST_CASE(
    "upstream TestBackoffLimitExceededRespectsCleanPodPolicy: cleanPodPolicy All with JobFailed "
    "set before delete") {
  CHECK(AfterBackoffFailure(OperatorVersion::kV1_9_4, "All").empty());
}

TEST_CASE(
    "upstream TestBackoffLimitExceededRespectsCleanPodPolicy: cleanPodPolicy Running with "
    "JobFailed set before delete") {
  CHECK(AfterBackoffFailure(OperatorVersion::kV1_9_4, "Running").empty());
}

// ---------------------------------------------------------------------------
// pod_test.go TestSetRestartPolicy: the pod's restartPolicy from the replica's.

std::string PodRestartPolicy(const std::string& replica_policy) {
  OperatorCluster c;
  std::string yaml = UpstreamJobYaml(1);
  const std::string marker = "    Worker:\n      replicas: 1\n";
  yaml.replace(yaml.find(marker), marker.size(),
               marker + "      restartPolicy: " + replica_policy + "\n");
  c.CreateJob(yaml);
  auto pod = c.FindPod("test-job-worker-0");
  REQUIRE(pod);
  return pod->spec.restart_policy;
}

TEST_CASE("upstream TestSetRestartPolicy: restartPolicy ExitCode gives pods Never") {
  CHECK(PodRestartPolicy("ExitCode") == "Never");
}

TEST_CASE("upstream TestSetRestartPolicy: restartPolicy Never gives pods Never") {
  CHECK(PodRestartPolicy("Never") == "Never");
}

TEST_CASE("upstream TestSetRestartPolicy: restartPolicy Always gives pods Always") {
  CHECK(PodRestartPolicy("Always") == "Always");
}

TEST_CASE("upstream TestSetRestartPolicy: restartPolicy OnFailure gives pods OnFailure") {
  CHECK(PodRestartPolicy("OnFailure") == "OnFailure");
}

// ---------------------------------------------------------------------------
// pod_test.go TestCalculatePodSliceSize and service_test.go
// TestCalculateServiceSliceSize: objects with replica-index 0, 1, 2.

std::vector<PodPtr> IndexedPods() {
  return {NewPod("a", "Running", "worker", 0, 0), NewPod("b", "Running", "worker", 0, 1),
          NewPod("c", "Running", "worker", 0, 2)};
}

TEST_CASE("upstream TestCalculatePodSliceSize: 3 pods and replicas 3 give 3") {
  CHECK(CalculatePodSliceSize(IndexedPods(), 3) == 3);
}

TEST_CASE("upstream TestCalculatePodSliceSize: 3 pods and replicas 4 give 4") {
  CHECK(CalculatePodSliceSize(IndexedPods(), 4) == 4);
}

TEST_CASE("upstream TestCalculatePodSliceSize: 3 pods and replicas 2 give 3") {
  CHECK(CalculatePodSliceSize(IndexedPods(), 2) == 3);
}

TEST_CASE("upstream TestCalculatePodSliceSize: a pod with index 4 and replicas 3 give 5") {
  auto pods = IndexedPods();
  pods.push_back(NewPod("e", "Running", "worker", 0, 4));
  CHECK(CalculatePodSliceSize(pods, 3) == 5);
}

TEST_CASE("upstream TestCalculateServiceSliceSize: the sizes of the pod cases") {
  std::vector<std::shared_ptr<const Service>> services = {
      NewService("a", "worker", 0), NewService("b", "worker", 1), NewService("c", "worker", 2)};
  CHECK(CalculateSliceSize(services, 3) == 3);
  CHECK(CalculateSliceSize(services, 4) == 4);
  CHECK(CalculateSliceSize(services, 2) == 3);
  services.push_back(NewService("e", "worker", 4));
  CHECK(CalculateSliceSize(services, 3) == 5);
}

// pod_test.go TestFilterPodsForReplicaType and service_test.go
// TestFilterServicesForReplicaType.

TEST_CASE("upstream TestFilterPodsForReplicaType: the pods of type foo, in order") {
  const std::vector<PodPtr> pods = {NewPod("a", "Running", "foo"), NewPod("b", "Running", "bar"),
                                    NewPod("c", "Running", "foo"), NewPod("d", "Running", "bar"),
                                    NewPod("e", "Running", "foo")};
  Names got;
  for (const auto& p : FilterPodsForReplicaType(pods, "foo"))
    got.push_back(p->metadata.name);
  CHECK(got == Names{"a", "c", "e"});
}

TEST_CASE("upstream TestFilterServicesForReplicaType: the services of type foo, in order") {
  const std::vector<std::shared_ptr<const Service>> services = {
      NewService("a", "foo"), NewService("b", "bar"), NewService("c", "foo"),
      NewService("d", "bar"), NewService("e", "foo")};
  Names got;
  for (const auto& s : FilterForReplicaType(services, "foo"))
    got.push_back(s->metadata.name);
  CHECK(got == Names{"a", "c", "e"});
}

// ---------------------------------------------------------------------------
// status_test.go TestUpdateJobReplicaStatuses: 2 Failed, 3 Succeeded, 1
// Running and 1 Running pod being deleted, seen by one reconcile. The pods are
// bound to a node with no kubelet, so the deleted Running pod stays
// terminating; restartPolicy Never keeps the Failed pods.

TEST_CASE(
    "upstream TestUpdateJobReplicaStatuses: terminating Running pods count as failed, not "
    "active") {
  OperatorCluster c;
  c.AddNodeWithoutKubelet("node-1");
  c.CreateJob(testing::ScriptedJobYaml("test-job", "Never", "", 7, "forever"));
  for (int i = 0; i < 7; ++i) {
    auto pod = c.FindPod("test-job-worker-" + std::to_string(i));
    REQUIRE(pod);
    REQUIRE(pod->spec.node_name == "node-1");
  }
  const char* phases[] = {"Failed",    "Failed",  "Succeeded", "Succeeded",
                          "Succeeded", "Running", "Running"};
  for (int i = 0; i < 7; ++i)
    c.SetPodPhase("test-job-worker-" + std::to_string(i), phases[i], /*settle=*/false);
  c.api.collection<Pod>().Delete("default", "test-job-worker-6");
  c.Settle();
  REQUIRE(c.FindPod("test-job-worker-6")->metadata.deletion_timestamp);
  const ReplicaStatus& rs = c.Job()->status.replica_statuses.at("Worker");
  CHECK(rs.failed == 3);
  CHECK(rs.succeeded == 3);
  CHECK(rs.active == 1);
}

// util_test.go TestGenGeneralName.

TEST_CASE("upstream TestGenGeneralName: slashes become dashes and the type is lowercased") {
  CHECK(GenGeneralName("1/2/3/4/5", "worker", 1) == "1-2-3-4-5-worker-1");
  CHECK(GenGeneralName("1/2/3/4/5", "WORKER", 1) == "1-2-3-4-5-worker-1");
}

}  // namespace
}  // namespace ptsim
