// A whole fake cluster for tests: loop, trace, API server, scheduler, one
// kubelet per node, and a runner that is scripted (virtual time) by default or
// real when asked. Pods come from YAML text, decoded like user manifests.
#pragma once

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/kubelet/host_network.hpp"
#include "fakes/kubelet/images.hpp"
#include "fakes/kubelet/kubelet.hpp"
#include "fakes/process/container_shim.hpp"
#include "fakes/process/real_process_runner.hpp"
#include "fakes/process/recording_process_runner.hpp"
#include "fakes/process/runner_mux.hpp"
#include "fakes/process/scripted_process_runner.hpp"
#include "fakes/scheduler/scheduler.hpp"
#include "sim/model/pod_codec.hpp"
#include "tests/support/temp_dir.hpp"

namespace ptsim::testing {

// A Pod decoded from YAML text as user manifests are; REQUIREs that it decodes.
inline Pod PodFromYaml(const std::string& yaml) {
  Diagnostics diags;
  DecodeContext ctx("test.yaml", &diags);
  Pod pod;
  {
    MapReader m(ctx, YAML::Load(yaml), "");
    DecodePod(m, &pod);
  }
  INFO(diags.Render());
  REQUIRE(diags.ok());
  return pod;
}

// Real processes run under ptsim-shim, as in `ptsim run`.
inline RealProcessRunner::Options RealProcessOptions() {
  RealProcessRunner::Options options;
  std::string why;
  options.shim = FindContainerShim(&why);
  return options;
}

struct FakeCluster {
  explicit FakeCluster(bool real_processes = false, std::uint64_t seed = 1)
      : random(seed),
        wall(real_processes ? static_cast<WallClock*>(&steady) : &manual),
        loop(*wall),
        api(loop, trace, random),
        scheduler(api),
        network(api, ports),
        scripted(loop),
        recording(loop),
        real(loop, RealProcessOptions()),
        mux(real_processes ? static_cast<ProcessRunner&>(real) : recording, scripted),
        kubelets(api) {}

  void AddNode(const std::string& name, const std::string& cpu = "8",
               const std::string& memory = "32Gi", int pods = 110) {
    Node node;
    node.metadata.name = name;
    node.metadata.namespace_ = "";
    node.status.capacity["cpu"] = Quantity::Parse(cpu).value();
    node.status.capacity["memory"] = Quantity::Parse(memory).value();
    node.status.capacity["pods"] = Quantity::FromUnits(pods);
    node.status.allocatable = node.status.capacity;
    node.status.conditions.push_back({"Ready", "True", "KubeletReady",
                                      "kubelet is posting ready status", loop.Now(), loop.Now()});
    REQUIRE(api.collection<Node>().Create(node).ok());
    KubeletConfig config;
    config.node_name = name;
    config.run_dir = dir.path();
    config.base_env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
    kubelets.Add(std::make_unique<Kubelet>(api, mux, network, images, puller, config));
  }

  std::shared_ptr<const Pod> CreatePod(const std::string& yaml) {
    auto created = api.collection<Pod>().Create(PodFromYaml(yaml));
    REQUIRE(created.ok());
    return *created;
  }

  std::shared_ptr<const Pod> Get(const std::string& name) {
    return api.collection<Pod>().Get("default", name);
  }

  // Runs until `done` holds or virtual time reaches `limit` seconds.
  void RunUntil(const std::function<bool()>& done, double limit = 3600) {
    loop.Run(kRunStart + Seconds(limit), done);
  }
  void RunFor(double seconds) { loop.Run(loop.Now() + Seconds(seconds)); }

  std::vector<Event> EventsFor(const std::string& pod, const std::string& reason) const {
    std::vector<Event> out;
    for (const auto& e : const_cast<ApiServer&>(api).events().list()) {
      if (e.involved_object.name == pod && e.reason == reason) out.push_back(e);
    }
    return out;
  }

  Random random;
  TempDir dir;
  ManualWallClock manual;
  SteadyWallClock steady;
  WallClock* wall;
  EventLoop loop;
  Trace trace;
  ApiServer api;
  Scheduler scheduler;
  SequentialPortAllocator ports{41000};
  HostNetwork network;
  MapImageRegistry images;
  InstantImagePuller puller;
  ScriptedProcessRunner scripted;
  RecordingProcessRunner recording;
  RealProcessRunner real;
  RunnerMux mux;
  Kubelets kubelets;
};

// A pod running one scripted container with the given restart policy.
inline std::string ScriptedPod(const std::string& name, const std::string& policy,
                               const std::string& script) {
  return "metadata:\n  name: " + name + "\n  annotations:\n    script.ptsim.io/main: \"" + script +
         "\"\nspec:\n  restartPolicy: " + policy +
         "\n  containers:\n  - name: main\n    image: busybox\n";
}

}  // namespace ptsim::testing
