// A FakeCluster with the PyTorchJob controller of one operator version, for
// tests of the operator emulation (fakes/operator). Jobs come from YAML text
// and pass the version's admission checks (the v1.8+ validating webhook) as
// they would on a cluster; the fixture owns the loop, store, clock, notes and
// controller. Loop thread only, like everything it holds.
//
// Three ways to run pods, chosen by which nodes a test adds:
//  * no nodes (the default): pods stay Pending and unbound, nothing runs, and
//    the test moves pods by writing pod.status by hand (SetPodPhase,
//    SetPodStatus), as the upstream envtest suites do — they have no kubelet
//    either. Unbound pods are deleted at once, as in envtest. The scheduler
//    marks them PodScheduled=False (Unschedulable), which only adds
//    FailedScheduling and abnormal-pod events;
//  * AddNodeWithoutKubelet(): pods are bound to a Node that has no kubelet, so
//    they stay where the test puts them, but deleting a pod that is not
//    terminal only marks it terminating (deletionTimestamp, never removed):
//    the way to get "Running with deletionTimestamp" pods;
//  * AddNode() (FakeCluster's, with a kubelet): the whole world. Containers
//    are scripted (annotation script.ptsim.io/pytorch in the replica's
//    template) or real processes (OperatorCluster(version, true)). Here the
//    kubelet owns pod status: do not write it by hand, or the kubelet's next
//    write undoes it. A script of `forever` keeps a container quiet.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "fakes/operator/controller_options.hpp"
#include "fakes/operator/job_conditions.hpp"
#include "fakes/operator/operator_profile.hpp"
#include "fakes/operator/pytorchjob_controller.hpp"
#include "sim/core/notes.hpp"
#include "sim/model/hpa.hpp"
#include "sim/model/pytorchjob_codec.hpp"
#include "sim/model/pytorchjob_crd_validation.hpp"
#include "sim/model/pytorchjob_defaults.hpp"
#include "sim/model/pytorchjob_validation.hpp"
#include "tests/support/fake_cluster.hpp"

namespace ptsim::testing {

using JobPtr = std::shared_ptr<const PyTorchJob>;
using ServicePtr = std::shared_ptr<const Service>;

// (type, status, reason, message) of a job condition, for whole-list checks.
using Cond = std::tuple<std::string, std::string, std::string, std::string>;

struct OperatorCluster : FakeCluster {
  explicit OperatorCluster(OperatorVersion v = kDefaultOperatorVersion, bool real_processes = false)
      : FakeCluster(real_processes), version(v), controller(api, notes, ControllerOptionsFor(v)) {
    // The `kubectl get pytorchjob` State column (the type of the last
    // condition) of every job, each change once.
    api.collection<PyTorchJob>().Watch([this](const WatchEvent<PyTorchJob>& e) {
      const auto& conditions = e.object->status.conditions;
      if (e.type == WatchEventType::kDeleted || conditions.empty()) return;
      auto& history = states[e.object->metadata.name];
      if (history.empty() || history.back() != conditions.back().type) {
        history.push_back(conditions.back().type);
      }
    });
  }

  // A Node object with no kubelet behind it: the scheduler binds pods to it
  // and nothing ever runs them.
  void AddNodeWithoutKubelet(const std::string& name) {
    Node node;
    node.metadata.name = name;
    node.metadata.namespace_ = "";
    node.status.capacity["cpu"] = Quantity::FromUnits(64);
    node.status.capacity["memory"] = Quantity::Parse("256Gi").value();
    node.status.capacity["pods"] = Quantity::FromUnits(110);
    node.status.allocatable = node.status.capacity;
    node.status.conditions.push_back({"Ready", "True", "KubeletReady",
                                      "kubelet is posting ready status", loop.Now(), loop.Now()});
    REQUIRE(api.collection<Node>().Create(node).ok());
  }

  // Creates a job as `kubectl create` would: decoded strictly, then admitted
  // by this version's validating webhook (none in v1.7.0). On denial the
  // diagnostics carry the API server's message.
  Result<JobPtr> SubmitJob(const std::string& yaml) {
    auto decoded = ParsePyTorchJob(yaml, "job.yaml");
    if (!decoded.ok()) return decoded.diagnostics();
    const ValidationResult admission = WebhookValidateCreate(decoded->job, version);
    if (!admission.allowed()) {
      Diagnostics d;
      d.Error({}, "PyTorchJob", "", admission.DenialMessage());
      return d;
    }
    auto created = api.collection<PyTorchJob>().Create(decoded->job);
    if (!created.ok()) return created.diagnostics();
    return *created;
  }
  JobPtr CreateJob(const std::string& yaml) {
    auto r = SubmitJob(yaml);
    INFO(r.diagnostics().Render());
    REQUIRE(r.ok());
    Settle();
    return *r;
  }
  // Creates a job straight in the store, past admission (as if the webhook
  // were absent), for controller behaviour on inputs the webhook rejects.
  JobPtr CreateJobUnchecked(const std::string& yaml) {
    auto decoded = ParsePyTorchJob(yaml, "job.yaml");
    INFO(decoded.diagnostics().Render());
    REQUIRE(decoded.ok());
    auto created = api.collection<PyTorchJob>().Create(decoded->job);
    REQUIRE(created.ok());
    Settle();
    return *created;
  }
  // Writes the job's status as a client of the status subresource would.
  void SetJobStatus(const std::string& name, const std::function<void(JobStatus&)>& edit) {
    REQUIRE(Job(name));
    api.collection<PyTorchJob>().Mutate("default", name, [&](PyTorchJob& j) { edit(j.status); });
    Settle();
  }
  // Updates the job's spec or metadata as a client would (the status is the
  // controller's): admitted by the CRD's rules and the webhook's
  // ValidateUpdate for this version.
  Result<JobPtr> UpdateJob(const std::string& name, const std::function<void(PyTorchJob&)>& edit) {
    auto old = Job(name);
    REQUIRE(old);
    PyTorchJob next = *old;
    edit(next);
    // The API server checks the CRD schema's rules before any webhook.
    if (auto invalid = ValidateCrdUpdate(*old, next, version); !invalid.empty()) {
      Diagnostics d;
      d.Error({}, "PyTorchJob", name, CrdInvalidMessage(name, invalid));
      return d;
    }
    const ValidationResult admission = WebhookValidateUpdate(*old, next, version);
    if (!admission.allowed()) {
      Diagnostics d;
      d.Error({}, "PyTorchJob", "", admission.DenialMessage());
      return d;
    }
    auto stored = api.collection<PyTorchJob>().Mutate("default", name, [&](PyTorchJob& j) {
      j.metadata = next.metadata;
      j.spec = next.spec;
    });
    return stored;
  }
  void EditJob(const std::string& name, const std::function<void(PyTorchJob&)>& edit) {
    auto r = UpdateJob(name, edit);
    INFO(r.diagnostics().Render());
    REQUIRE(r.ok());
    Settle();
  }
  void DeleteJob(const std::string& name) {
    api.collection<PyTorchJob>().Delete("default", name);
    Settle();
  }

  JobPtr Job(const std::string& name = "test-job") const {
    return api_const().collection<PyTorchJob>().Get("default", name);
  }
  std::shared_ptr<const Pod> FindPod(const std::string& name) const {
    return api_const().collection<Pod>().Get("default", name);
  }
  ServicePtr FindService(const std::string& name) const {
    return api_const().collection<Service>().Get("default", name);
  }
  std::shared_ptr<const HorizontalPodAutoscaler> FindHpa(const std::string& name) const {
    return api_const().collection<HorizontalPodAutoscaler>().Get("default", name);
  }
  // Names of every pod / service in the namespace, sorted.
  std::vector<std::string> PodNames() const {
    std::vector<std::string> out;
    for (const auto& p : api_const().collection<Pod>().List("default"))
      out.push_back(p->metadata.name);
    return out;
  }
  std::vector<std::string> ServiceNames() const {
    std::vector<std::string> out;
    for (const auto& s : api_const().collection<Service>().List("default"))
      out.push_back(s->metadata.name);
    return out;
  }

  // Writes pod status through the store, as the envtest suites do. Only for
  // pods no kubelet runs (see the header comment).
  // With settle false, the write waits for the next Settle(), so that one
  // reconcile sees several pods change at once.
  void SetPodStatus(const std::string& name, const std::function<void(PodStatus&)>& edit,
                    bool settle = true) {
    REQUIRE(FindPod(name));
    api.collection<Pod>().Mutate("default", name, [&](Pod& p) { edit(p.status); });
    if (settle) Settle();
  }
  void SetPodPhase(const std::string& name, const std::string& phase, bool settle = true) {
    SetPodStatus(
        name, [&](PodStatus& s) { s.phase = phase; }, settle);
  }
  // The pod ended: phase `phase` and container `container` terminated with `exit_code`.
  void SetPodExited(const std::string& name, const std::string& phase, int exit_code,
                    const std::string& container = "pytorch") {
    SetPodStatus(name, [&](PodStatus& s) {
      s.phase = phase;
      ContainerStatus cs;
      cs.name = container;
      ContainerStateTerminated t;
      t.exit_code = exit_code;
      t.reason = exit_code == 0 ? "Completed" : "Error";
      cs.state.terminated = t;
      s.container_statuses = {cs};
    });
  }
  // Running, with `restarts` in-place restarts of the pytorch container.
  void SetPodRunningWithRestarts(const std::string& name, int restarts) {
    SetPodStatus(name, [&](PodStatus& s) {
      s.phase = "Running";
      ContainerStatus cs;
      cs.name = "pytorch";
      cs.restart_count = restarts;
      cs.state.running = ContainerStateRunning{loop.Now()};
      s.container_statuses = {cs};
    });
  }

  // Runs everything due at the current virtual time (watch events, reconciles).
  void Settle() { loop.Run(loop.Now()); }
  // Runs until `done` holds, for at most `seconds` of virtual time from now.
  // It stops right after the write that made `done` hold: what else happens
  // at that instant has not happened yet.
  bool RunUntilFor(const std::function<bool()>& done, double seconds) {
    loop.Run(loop.Now() + Seconds(seconds), done);
    return done();
  }

  std::vector<Cond> Conditions(const std::string& name = "test-job") const {
    std::vector<Cond> out;
    auto job = Job(name);
    if (!job) return out;
    for (const auto& c : job->status.conditions)
      out.emplace_back(c.type, c.status, c.reason, c.message);
    return out;
  }
  bool HasJobCondition(const std::string& type, const std::string& name = "test-job") const {
    auto job = Job(name);
    return job && HasCondition(job->status, type);
  }
  // Events recorded about the job, optionally only those with `reason`.
  std::vector<Event> JobEvents(const std::string& name = "test-job",
                               const std::string& reason = "") const {
    std::vector<Event> out;
    for (const auto& e : api_const().events().list()) {
      if (e.involved_object.kind != "PyTorchJob" || e.involved_object.name != name) continue;
      if (!reason.empty() && e.reason != reason) continue;
      out.push_back(e);
    }
    return out;
  }
  // The State column of `job` over time, once what is due now is delivered.
  std::vector<std::string> States(const std::string& job = "test-job") {
    Settle();
    return states[job];
  }
  bool TraceContains(const std::string& text) const {
    return trace.Render().find(text) != std::string::npos;
  }
  bool HasNote(const std::string& ref) const {
    for (const auto& n : notes.list()) {
      if (n.ref == ref) return true;
    }
    return false;
  }
  // The value of env var `name` in container `container` of pod `pod`; the
  // last entry wins, as in Kubernetes.
  std::string Env(const std::string& pod, const std::string& name,
                  const std::string& container = "pytorch") const {
    auto p = FindPod(pod);
    REQUIRE(p);
    const Container* c = p->FindContainer(container);
    REQUIRE(c);
    std::string value;
    bool found = false;
    for (const auto& e : c->env) {
      if (e.name == name) {
        value = e.value;
        found = true;
      }
    }
    INFO("env " << name << " of " << pod);
    REQUIRE(found);
    return value;
  }
  // The operator's env vars of a container as "NAME=value", in order.
  std::vector<std::string> EnvList(const std::string& pod,
                                   const std::string& container = "pytorch") const {
    auto p = FindPod(pod);
    REQUIRE(p);
    const Container* c = p->FindContainer(container);
    REQUIRE(c);
    std::vector<std::string> out;
    for (const auto& e : c->env)
      out.push_back(e.name + "=" + e.value);
    return out;
  }

  ApiServer& api_const() const { return const_cast<ApiServer&>(api); }

  OperatorVersion version;
  std::map<std::string, std::vector<std::string>> states;  // job -> State column over time
  Notes notes;
  PyTorchJobController controller;
};

// The job of the upstream envtest suite (pytorchjob_controller_test.go):
// `test-job`, Master 1 + Worker `workers`, each with one container `pytorch`,
// image test-image, port pytorchjob-port 8080/TCP, no restartPolicy.
// `run_policy` and `extra_spec` are YAML lines inserted under spec (indented
// by two spaces), e.g. "  runPolicy:\n    suspend: true\n".
inline std::string UpstreamJobYaml(int workers = 2, const std::string& spec_extra = "",
                                   const std::string& name = "test-job") {
  const std::string tmpl = R"(      template:
        spec:
          containers:
          - name: pytorch
            image: test-image
            ports:
            - {name: pytorchjob-port, containerPort: 8080, protocol: TCP}
)";
  return "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: " + name + "\nspec:\n" +
         spec_extra + "  pytorchReplicaSpecs:\n    Master:\n      replicas: 1\n" + tmpl +
         "    Worker:\n      replicas: " + std::to_string(workers) + "\n" + tmpl;
}

// A job whose pytorch containers are scripted (run by kubelets in virtual
// time): Master (when `master_script` is not empty) and `workers` Workers,
// each replica type with `policy` (restartPolicy; omitted when empty).
inline std::string ScriptedJobYaml(const std::string& name, const std::string& policy,
                                   const std::string& master_script, int workers,
                                   const std::string& worker_script,
                                   const std::string& spec_extra = "") {
  auto replica = [&](const std::string& type, int replicas, const std::string& script) {
    std::string s = "    " + type + ":\n      replicas: " + std::to_string(replicas) + "\n";
    if (!policy.empty()) s += "      restartPolicy: " + policy + "\n";
    s += "      template:\n        metadata:\n          annotations:\n"
         "            script.ptsim.io/pytorch: \"" +
         script +
         "\"\n        spec:\n          containers:\n          - name: pytorch\n"
         "            image: trainer:latest\n";
    return s;
  };
  std::string yaml =
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: " + name + "\nspec:\n";
  yaml += spec_extra;
  yaml += "  pytorchReplicaSpecs:\n";
  if (!master_script.empty()) yaml += replica("Master", 1, master_script);
  if (workers > 0) yaml += replica("Worker", workers, worker_script);
  return yaml;
}

}  // namespace ptsim::testing
