// A JobSet in a scenario: the webhook's denial before the run, fault targets
// by replicated job, Job index and pod index (checked against the plan and
// matched by the JobSet and Job controllers' labels).
#include <catch2/catch.hpp>

#include "sim/harness/faults/fault_targets.hpp"
#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::LoadErrors;
using testing::TempDir;

const char* kJobSet = R"(job:
  apiVersion: jobset.x-k8s.io/v1alpha2
  kind: JobSet
  metadata: {name: js}
  spec:
    failurePolicy: {maxRestarts: 1}
    replicatedJobs:
    - name: node
      replicas: 2
      template:
        spec:
          parallelism: 3
          completions: 3
          template:
            metadata: {annotations: {script.ptsim.io/main: "run 10s"}}
            spec: {containers: [{name: main, image: trainer}]}
)";

std::string Scenario(const std::string& rest, const std::string& job = kJobSet) {
  return std::string("apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\n") + job + rest;
}

TEST_CASE("a fault may target a JobSet's pods by replicated job, Job index and pod index") {
  TempDir dir;
  CHECK(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {replicatedJob: node, "
                                 "jobIndex: 1, podIndex: 2}\n  when: {at: 5s}\n")) == "");
  CHECK(LoadErrors(dir,
                   Scenario("faults:\n- action: kill\n  target: {selector: "
                            "jobset.sigs.k8s.io/replicatedjob-name=node}\n  when: {at: 5s}\n")) ==
        "");
}

TEST_CASE("a JobSet target that cannot match is an error before the run") {
  TempDir dir;
  CHECK_THAT(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {replicatedJob: "
                                      "workers}\n  when: {at: 5s}\n")),
             Catch::Contains("target.replicatedJob: no JobSet of this run has a replicated job "
                             "named \"workers\""));
  CHECK_THAT(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {replicatedJob: node, "
                                      "jobIndex: 2}\n  when: {at: 5s}\n")),
             Catch::Contains("target.jobIndex: replicated job node has 2 Job(s), indexes 0 to 1"));
  CHECK_THAT(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {replicatedJob: node, "
                                      "podIndex: 3}\n  when: {at: 5s}\n")),
             Catch::Contains("target.podIndex: the Jobs of replicated job node have 3 pod(s)"));
  CHECK_THAT(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {podIndex: 0}\n  "
                                      "when: {at: 5s}\n")),
             Catch::Contains("podIndex needs replicatedJob"));
  CHECK_THAT(
      LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {replicatedJob: node, "
                               "replicaType: Worker}\n  when: {at: 5s}\n")),
      Catch::Contains("give only one of pod, replicaType, replicatedJob, selector and node"));
}

TEST_CASE("a JobSet the webhook denies is an error before the run, with the webhook's message") {
  TempDir dir;
  std::string job = kJobSet;
  job.replace(job.find("{maxRestarts: 1}"), 16,
              "{rules: [{name: restart-on-oom, action: RestartJobSet}]}");
  CHECK_THAT(LoadErrors(dir, Scenario("", job)),
             Catch::Contains("admission webhook \"vjobset.kb.io\" denied the request: "
                             "JobSet.jobset.x-k8s.io \"js\" is invalid: <nil>: Internal error: "
                             "invalid failure policy rule name 'restart-on-oom'"));
}

Pod JobSetPod(const std::string& rjob, int job_index, int pod_index) {
  Pod pod;
  pod.metadata.name = "p";
  pod.metadata.labels[kReplicatedJobNameKey] = rjob;
  pod.metadata.labels[kJobIndexKey] = std::to_string(job_index);
  pod.metadata.labels[kJobCompletionIndexAnnotation] = std::to_string(pod_index);
  return pod;
}

TEST_CASE("TargetMatchesPod: replicatedJob, jobIndex and podIndex by label") {
  FaultTarget t;
  t.replicated_job = "node";
  CHECK(TargetMatchesPod(t, JobSetPod("node", 1, 2)));
  CHECK_FALSE(TargetMatchesPod(t, JobSetPod("leader", 0, 0)));
  t.job_index = 1;
  CHECK(TargetMatchesPod(t, JobSetPod("node", 1, 0)));
  CHECK_FALSE(TargetMatchesPod(t, JobSetPod("node", 0, 0)));
  t.pod_index = 2;
  CHECK(TargetMatchesPod(t, JobSetPod("node", 1, 2)));
  CHECK_FALSE(TargetMatchesPod(t, JobSetPod("node", 1, 1)));
  CHECK(t.Describe() == "replicatedJob node job 1 pod 2");
}

}  // namespace
}  // namespace ptsim
