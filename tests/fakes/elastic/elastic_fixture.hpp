// A fixture for agent tests: a loop on a manual wall clock (virtual time
// jumps), the rendezvous registry, a RecordingProcessRunner for the workers
// (the test decides when each ends), and an ElasticAgentRunner that emulates
// every torchrun command. Containers are started with Start() and their
// output and end are collected per container.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fakes/elastic/elastic_agent_runner.hpp"
#include "fakes/process/recording_process_runner.hpp"
#include "tests/support/temp_dir.hpp"

namespace ptsim::elastic::testing {

using ptsim::testing::TempDir;

struct ContainerRun {
  ProcessId id = 0;
  std::vector<std::string> lines;
  std::optional<ProcessExit> exit;
  std::optional<Time> exited_at;

  bool Printed(const std::string& needle) const {
    for (const auto& l : lines)
      if (l.find(needle) != std::string::npos) return true;
    return false;
  }
  std::string Output() const {
    std::string out;
    for (const auto& l : lines)
      out += l + "\n";
    return out;
  }
};

struct AgentFixture {
  explicit AgentFixture(TorchVersion version = TorchVersion::kTorch1_13)
      : loop(wall), registry(loop), workers(loop), ports(41000) {
    options.policy = ElasticPolicy::kEmulate;
    options.agent.profile = TorchrunProfile::For(version);
    options.agent.log_root = dir.path();
    options.python_executable = "/usr/bin/python3";
    options.real_stores = false;  // the workers are recorded, not real: no sockets
  }

  ElasticAgentRunner& Runner() {
    if (!runner) {
      ElasticAgentRunner::Deps deps;
      deps.ports = &ports;
      deps.trace = &trace;
      deps.notes = &notes;
      runner =
          std::make_unique<ElasticAgentRunner>(loop, workers, registry, Random(7), options, deps);
    }
    return *runner;
  }

  // Starts container `name` ("ns/pod/container") running `argv` with `env`.
  ContainerRun& Start(const std::string& name, std::vector<std::string> argv,
                      std::vector<std::string> env = {}) {
    ProcessSpec spec;
    spec.name = name;
    spec.argv = std::move(argv);
    spec.env = std::move(env);
    ContainerRun& c = containers[name];
    auto id = Runner().Spawn(spec, {[&c](std::string_view l) { c.lines.emplace_back(l); },
                                    [this, &c](const ProcessExit& e) {
                                      c.exit = e;
                                      c.exited_at = loop.Now();
                                    }});
    REQUIRE(id.ok());
    c.id = *id;
    return c;
  }

  void RunFor(double seconds) { loop.Run(loop.Now() + Seconds(seconds)); }
  void RunUntil(const std::function<bool()>& done, double limit = 3600) {
    loop.Run(loop.Now() + Seconds(limit), done);
  }
  void RunUntilExit(const ContainerRun& c, double limit = 3600) {
    RunUntil([&c] { return c.exit.has_value(); }, limit);
    REQUIRE(c.exit.has_value());
  }

  // The workers spawned so far whose name starts with `prefix`.
  std::vector<std::size_t> SpawnsOf(const std::string& prefix) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < workers.spawns().size(); ++i)
      if (workers.spawns()[i].name.rfind(prefix, 0) == 0) out.push_back(i);
    return out;
  }
  static std::string Env(const ProcessSpec& spec, const std::string& name) {
    std::string value;
    for (const auto& kv : spec.env)
      if (kv.rfind(name + "=", 0) == 0) value = kv.substr(name.size() + 1);
    return value;
  }
  // True when a note contains `needle`.
  bool Noted(const std::string& needle) const {
    for (const auto& n : notes.list())
      if (n.text.find(needle) != std::string::npos) return true;
    return false;
  }
  // The RecordingProcessRunner's id of spawn number `index`.
  static ProcessId IdOf(std::size_t index) { return index + 1; }

  TempDir dir;
  ManualWallClock wall;
  EventLoop loop;
  Trace trace;
  Notes notes;
  RendezvousRegistry registry;
  RecordingProcessRunner workers;
  SequentialPortAllocator ports;
  ElasticAgentRunner::Options options;
  std::unique_ptr<ElasticAgentRunner> runner;
  std::map<std::string, ContainerRun> containers;
};

}  // namespace ptsim::elastic::testing
