// Which container commands the elastic agent takes over, and a torchrun pod
// run end to end in a Simulation with the emulation forced.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "fakes/elastic/elastic_agent_runner.hpp"
#include "sim/harness/simulation.hpp"
#include "sim/model/container_script.hpp"
#include "sim/model/pod_codec.hpp"
#include "tests/fakes/elastic/elastic_fixture.hpp"
#include "tests/support/fake_cluster.hpp"

namespace ptsim::elastic {
namespace {

ProcessSpec Spec(std::vector<std::string> argv, std::vector<std::string> env = {}) {
  ProcessSpec s;
  s.name = "ns/p/c";
  s.argv = std::move(argv);
  s.env = std::move(env);
  return s;
}

struct PolicyFixture {
  ManualWallClock wall;
  EventLoop loop{wall};
  RendezvousRegistry registry{loop};
  RecordingProcessRunner workers{loop};
  FixedTorchProbe broken{false};
  FixedTorchProbe working{true};

  ElasticAgentRunner Make(ElasticPolicy policy, TorchProbe* probe) {
    ElasticAgentRunner::Options o;
    o.policy = policy;
    ElasticAgentRunner::Deps d;
    d.probe = probe;
    return ElasticAgentRunner(loop, workers, registry, Random(1), o, d);
  }
};

TEST_CASE("elastic policies are named auto, emulate and real") {
  CHECK(ParseElasticPolicy("auto") == ElasticPolicy::kAuto);
  CHECK(ParseElasticPolicy("emulate") == ElasticPolicy::kEmulate);
  CHECK(ParseElasticPolicy("real") == ElasticPolicy::kReal);
  CHECK_FALSE(ParseElasticPolicy("fake"));
  CHECK(ElasticPolicyName(ElasticPolicy::kEmulate) == "emulate");
}

TEST_CASE_METHOD(PolicyFixture, "emulate takes every torchrun command and nothing else") {
  auto runner = Make(ElasticPolicy::kEmulate, &working);
  CHECK(runner.Intercepts(Spec({"torchrun", "x.py"})));
  CHECK(runner.Intercepts(Spec({"python3", "-m", "torch.distributed.run", "x.py"})));
  CHECK_FALSE(runner.Intercepts(Spec({"python3", "x.py"})));
  CHECK_FALSE(runner.Intercepts(Spec({"/bin/sh", "-c", "torchrun x.py"})));
}

TEST_CASE_METHOD(PolicyFixture, "real never intercepts") {
  auto runner = Make(ElasticPolicy::kReal, &broken);
  CHECK_FALSE(runner.Intercepts(Spec({"torchrun", "x.py"})));
}

TEST_CASE_METHOD(PolicyFixture,
                 "auto emulates real containers only when real torchrun is unusable") {
  CHECK(Make(ElasticPolicy::kAuto, &broken).Intercepts(Spec({"torchrun", "x.py"})));
  CHECK_FALSE(Make(ElasticPolicy::kAuto, &working).Intercepts(Spec({"torchrun", "x.py"})));
  CHECK_FALSE(Make(ElasticPolicy::kAuto, nullptr).Intercepts(Spec({"torchrun", "x.py"})));
}

TEST_CASE_METHOD(PolicyFixture,
                 "a scripted torchrun container is emulated only when emulation is forced") {
  auto script = ParseContainerScript("run 1s", {}, "");
  REQUIRE(script.ok());
  ProcessSpec spec = Spec({"torchrun", "x.py"});
  spec.script = &script.value();
  CHECK_FALSE(Make(ElasticPolicy::kAuto, &broken).Intercepts(spec));
  CHECK(Make(ElasticPolicy::kEmulate, &working).Intercepts(spec));
}

TEST_CASE("the Python 3.11 redirects workaround needs both --redirects and --tee") {
  auto cmd = RecognizeTorchrun({"torchrun", "-r", "9:1", "--tee=9:1", "x.py"});
  CHECK(WorksAroundStdBug(*cmd, {}));
  CHECK(WorksAroundStdBug(*RecognizeTorchrun({"torchrun", "x.py"}),
                          {"PET_REDIRECTS=9:1", "PET_TEE=9:1"}));
  CHECK_FALSE(WorksAroundStdBug(*RecognizeTorchrun({"torchrun", "-r3", "x.py"}), {}));
}

TEST_CASE("a probe with a fixed answer says why real torchrun is unusable") {
  FixedTorchProbe probe(false);
  std::string why;
  CHECK_FALSE(probe.RealTorchrunUsable(*RecognizeTorchrun({"torchrun", "x"}), {}, &why));
  CHECK_FALSE(why.empty());
}

TEST_CASE("a torchrun pod runs its workers as real processes under the emulated agent") {
  testing::TempDir dir;
  SimulationOptions options;
  options.run_dir = dir.path();
  options.nodes = {DefaultNode("node-0")};
  options.processes.base_env = {"PATH=/usr/bin:/bin"};
  options.elastic_policy = ElasticPolicy::kEmulate;
  Simulation sim(options);
  const std::string yaml = R"(
metadata:
  name: trainer
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["torchrun", "--nproc_per_node=2", "--monitor_interval=0.05", "--no_python",
              "/bin/sh", "-c", "echo rank=$RANK world=$WORLD_SIZE restarts=$TORCHELASTIC_RESTART_COUNT"]
)";
  REQUIRE(sim.api().collection<Pod>().Create(ptsim::testing::PodFromYaml(yaml)).ok());
  auto done = [&] {
    auto p = sim.api().collection<Pod>().Get("default", "trainer");
    return p && p->IsTerminal();
  };
  sim.loop().Run(kRunStart + Seconds(30), done);
  auto p = sim.api().collection<Pod>().Get("default", "trainer");
  REQUIRE(p);
  CHECK(p->status.phase == "Succeeded");
  std::string elastic_trace;
  for (const auto& e : sim.trace().entries())
    if (e.actor == "elastic") elastic_trace += e.text + "\n";
  INFO(elastic_trace);
  CHECK(elastic_trace.find("default/trainer/main: worker group started: attempt 1") !=
        std::string::npos);
  CHECK(elastic_trace.find("torchrun exited: exit code 0") != std::string::npos);
  // The agent wrote its own lines and its workers' lines to the container's log.
  std::ifstream log(dir.path() + "/pods/default_trainer_" + p->metadata.uid + "/main/0.log");
  std::stringstream text;
  text << log.rdbuf();
  std::string files;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir.path()))
    files += f.path().string() + "\n";
  INFO(files);
  INFO(text.str());
  CHECK(text.str().find("rank=1 world=2 restarts=0") != std::string::npos);
  CHECK(text.str().find("WARNING:torch.distributed.run:") != std::string::npos);
}

}  // namespace
}  // namespace ptsim::elastic
