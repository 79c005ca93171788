// A fake API server with the Job controller and nothing else: tests create
// Jobs from YAML and write their pods' statuses themselves, in virtual time.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/job/job_controller.hpp"
#include "fakes/job/ttl_after_finished_controller.hpp"
#include "sim/core/wall_clock.hpp"
#include "sim/model/batch_job_codec.hpp"

namespace ptsim::testing {

struct JobFixture {
  ManualWallClock wall;
  EventLoop loop{wall};
  Trace trace;
  Random random{11};
  ApiServer api{loop, trace, random};
  JobController controller{api};
  TtlAfterFinishedController ttl{api};

  // Creates the Job of `yaml` (a whole batch/v1 document); REQUIREs success.
  std::shared_ptr<const BatchJob> Create(const std::string& yaml) {
    auto decoded = ParseBatchJob(yaml, "job.yaml");
    INFO(decoded.diagnostics().Render());
    REQUIRE(decoded.ok());
    auto created = api.collection<BatchJob>().Create(decoded.value());
    INFO(created.diagnostics().Render());
    REQUIRE(created.ok());
    Settle();
    return *created;
  }
  std::shared_ptr<const BatchJob> Job(const std::string& name = "job") {
    return api.collection<BatchJob>().Get("default", name);
  }
  std::vector<std::shared_ptr<const Pod>> Pods() { return api.collection<Pod>().List("default"); }
  std::vector<std::shared_ptr<const Pod>> ActivePods() {
    std::vector<std::shared_ptr<const Pod>> out;
    for (auto& p : Pods()) {
      if (!p->IsTerminal() && !p->metadata.deletion_timestamp) out.push_back(p);
    }
    return out;
  }
  // Runs what is due now (watch deliveries, syncs), and `seconds` more.
  void Settle(double seconds = 0) { loop.Run(loop.Now() + Seconds(seconds + 0.001)); }

  void SetPhase(const Pod& pod, const std::string& phase, int exit_code) {
    const Time now = loop.Now();
    api.collection<Pod>().Mutate("default", pod.metadata.name, [&](Pod& p) {
      p.status.phase = phase;
      p.status.container_statuses.clear();
      for (const auto& c : p.spec.containers) {
        ContainerStatus s;
        s.name = c.name;
        ContainerStateTerminated t;
        t.exit_code = exit_code;
        t.reason = exit_code == 0 ? "Completed" : "Error";
        t.started_at = now;
        t.finished_at = now;
        s.state.terminated = t;
        p.status.container_statuses.push_back(s);
      }
    });
    Settle();
  }
  void Fail(const Pod& pod, int exit_code = 1) { SetPhase(pod, "Failed", exit_code); }
  void Succeed(const Pod& pod) { SetPhase(pod, "Succeeded", 0); }
  void Run(const Pod& pod, int restarts = 0) {
    api.collection<Pod>().Mutate("default", pod.metadata.name, [&](Pod& p) {
      p.spec.node_name = "node-1";
      p.status.phase = "Running";
      p.status.container_statuses.clear();
      for (const auto& c : p.spec.containers) {
        ContainerStatus s;
        s.name = c.name;
        s.state.running = ContainerStateRunning{loop.Now()};
        s.restart_count = restarts;
        p.status.container_statuses.push_back(s);
      }
    });
    Settle();
  }

  std::vector<std::string> ConditionTypes() {
    std::vector<std::string> out;
    for (const auto& c : Job()->status.conditions)
      out.push_back(c.type + "=" + c.status + ":" + c.reason);
    return out;
  }
  std::vector<std::string> Events(const std::string& reason) {
    std::vector<std::string> out;
    for (const auto& e : api.events().list()) {
      if (e.reason == reason) out.push_back(e.message);
    }
    return out;
  }
};

// A Job document: `spec` lines (indented two spaces) before the template.
inline std::string JobYaml(const std::string& spec, const std::string& restart = "Never",
                           const std::string& name = "job") {
  return "apiVersion: batch/v1\nkind: Job\nmetadata: {name: " + name + "}\nspec:\n" + spec +
         "  template:\n    spec:\n      restartPolicy: " + restart +
         "\n      containers: [{name: main, image: busybox}]\n";
}

}  // namespace ptsim::testing
