// Small fixes, each pinned: notes name the pod behind a mapped address, the
// text timeline is in time order, and a required value written as null is an
// error at its line.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "fakes/elastic/agent_context.hpp"
#include "fakes/kubelet/host_network.hpp"
#include "sim/harness/input_loader.hpp"
#include "sim/harness/run.hpp"
#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::LoadErrors;
using testing::TempDir;

TEST_CASE("a still-waiting note names the pod behind a mapped address, the address after it") {
  testing::FakeCluster cluster;
  SequentialPortAllocator ports(40000);
  HostNetwork network(cluster.api, ports);
  const std::string ip = network.PodIP("default", "job-master-0");
  const int port = network.HostPort("default", "job-master-0", 23456);
  const auto owner = network.OwnerOf(ip, port);
  REQUIRE(owner);
  CHECK(owner->pod == "default/job-master-0");
  CHECK(owner->declared_port == 23456);
  CHECK_FALSE(network.OwnerOf("10.0.0.1", port));

  elastic::AgentContext ctx;
  CHECK(elastic::DescribeEndpoint(ctx, ip, port) == ip + ":40000");  // nothing to name it by
  ctx.name_endpoint = [&](const std::string& host, int p) -> std::string {
    const auto o = network.OwnerOf(host, p);
    return o ? o->pod.substr(o->pod.find('/') + 1) + ":" + std::to_string(o->declared_port) : "";
  };
  CHECK(elastic::DescribeEndpoint(ctx, ip, port) == "job-master-0:23456 (" + ip + ":40000)");
  CHECK(elastic::DescribeEndpoint(ctx, "10.0.0.1", 5) == "10.0.0.1:5");
}

const char* kLateNote = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: late-note
timeout: 10m
images:
  trainer:v1: {script: "run 100s, exit 0"}
job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: j}
  spec:
    runPolicy: {activeDeadlineSeconds: 30}
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        template:
          spec:
            containers: [{name: pytorch, image: trainer:v1}]
)";

TEST_CASE("the text timeline prints a note that arrived between lines before the later lines") {
  // The deadline passes at 30s with nothing else happening until 100s
  // (kubeflow/trainer#3358): its note must come before the 100s lines.
  TempDir dir;
  const std::string path = dir.path() + "/late-note.yaml";
  testing::Write(path, kLateNote);
  auto plan = LoadRunPlan(path, {});
  REQUIRE(plan.ok());
  std::ostringstream timeline;
  RunSettings settings;
  settings.run_dir = dir.path() + "/runs/late-note";
  settings.timeline_out = &timeline;
  ExecuteRun(*plan, settings);
  const std::string text = timeline.str();
  INFO(text);
  CHECK(text.find("NOTE") != std::string::npos);
  double previous = -1;
  std::istringstream lines(text);
  std::string line;
  const std::regex stamp(R"(^\s*([0-9]+\.[0-9]+)s )");
  int stamped = 0;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, stamp)) continue;
    const double t = std::stod(m[1]);
    CHECK(t >= previous);
    previous = t;
    ++stamped;
  }
  CHECK(stamped > 5);
}

TEST_CASE("an image mapping key written with no value is an error at its line") {
  TempDir dir;
  const std::string head = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: s
images:
)";
  const std::string tail = R"(job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: j}
  spec:
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        template:
          spec:
            containers: [{name: pytorch, image: trainer:v1}]
)";
  std::string errors = LoadErrors(dir, head + "  trainer:v1: {run: }\n" + tail);
  CHECK_THAT(errors, Catch::Contains("scenario.yaml:5:"));
  CHECK_THAT(errors, Catch::Contains("`run` has no value (null)"));
  errors = LoadErrors(dir, head + "  trainer:v1:\n    script:\n" + tail);
  CHECK_THAT(errors, Catch::Contains("scenario.yaml:6:"));
  CHECK_THAT(errors, Catch::Contains("`script` has no value (null)"));
  errors = LoadErrors(dir, head + "  trainer:v1:\n" + tail);
  CHECK_THAT(errors, Catch::Contains("the mapping is empty (null)"));
  // `{}` says it on purpose: no error.
  CHECK(LoadErrors(dir, head + "  trainer:v1: {}\n" + tail).find("null") == std::string::npos);
}

}  // namespace
}  // namespace ptsim
