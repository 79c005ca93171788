// A plain manifest run as a user runs it: images mapped on the command line,
// unmapped images that would run on the host, and relative paths that mean
// the same whatever the current directory.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

namespace fs = std::filesystem;
using testing::Read;
using testing::RunCli;
using testing::TempDir;
using testing::Write;

const std::string kMnistImage = "docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727";
const std::string kSimple =
    std::string(PTSIM_SOURCE_DIR) + "/scenarios/examples/pytorch/simple.yaml";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void WriteScript(const std::string& path, const std::string& body) {
  Write(path, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
}

std::string Pod(const std::string& image, const std::string& container_extra) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Never\n"
         "  containers:\n  - name: c\n    image: " +
         image + "\n" + container_extra;
}

TEST_CASE("the upstream simple.yaml runs as it is with its image mapped by --image") {
  TempDir dir;
  auto r = RunCli({"run", kSimple, "--image",
                   kMnistImage + "={run: [ptsim-worker, --steps, \"5\", --step-time, 1ms]}",
                   "--json", "report.json", "-q"},
                  dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.empty());
  const auto report = nlohmann::json::parse(Read(dir / "report.json"));
  CHECK(report["job"]["status"]["conditions"].back()["type"] == "Succeeded");
}

TEST_CASE("every upstream example manifest runs with the shipped --images file, from anywhere") {
  TempDir dir;
  const std::string examples = std::string(PTSIM_SOURCE_DIR) + "/scenarios/examples/";
  for (const char* manifest :
       {"pytorch/simple.yaml", "pytorch/cpu-demo/demo.yaml",
        "pytorch/smoke-dist/pytorch_job_sendrecv.yaml", "pytorch/elastic/echo/echo.yaml",
        "pytorch/elastic/imagenet/imagenet.yaml"}) {
    INFO(manifest);
    // The emulated torchrun agent: real torchrun takes seconds to start.
    auto r = RunCli({"run", examples + manifest, "--images", examples + "images/upstream.yaml",
                     "-q", "--timeout", "10m", "--torchrun", "emulate"},
                    dir.path());
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.empty());  // the file's other mappings are not suspect
  }
}

TEST_CASE("the timeline prints a pod scheduled before its container started") {
  TempDir dir;
  Write(dir / "p.yaml", Pod("busybox", ""));
  auto r = RunCli({"run", "p.yaml", "--image", "busybox={script: \"exit 0\"}"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  const auto scheduled = r.output.find("pod p scheduled to node-1");
  const auto started = r.output.find("p/c started");
  REQUIRE(scheduled != std::string::npos);
  REQUIRE(started != std::string::npos);
  CHECK(scheduled < started);
}

TEST_CASE("an unmapped image whose command names a script not on this machine is an error") {
  TempDir dir;
  auto r = RunCli({"run", kSimple}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.output,
                 "simple.yaml:14:15: error: PyTorchJob \"pytorch-simple\": "
                 "spec.pytorchReplicaSpecs[Master].template.spec.containers[0]: "
                 "container \"pytorch\": image \"" +
                     kMnistImage + "\" is not mapped"));
  CHECK(Contains(r.output, "/opt/pytorch-mnist/mnist.py does not exist"));
  CHECK(Contains(r.output, "--image '" + kMnistImage + "={run: [python3, train.py]}'"));
  CHECK(Contains(r.output, "nothing was run"));
  CHECK_FALSE(fs::exists(dir / "ptsim-runs"));
}

TEST_CASE("an unmapped image whose command exists here runs, with a warning and a note") {
  TempDir dir;
  Write(dir / "p.yaml", Pod("busybox:1.36", "    command: [sh, -c, \"exit 0\"]\n"));
  auto r = RunCli({"run", "p.yaml", "--json", "r.json", "--no-timeline"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  const std::string warning =
      "image \"busybox:1.36\" is not mapped: Pod \"p\" container \"c\" runs `sh -c 'exit 0'` on "
      "this machine as it is";
  CHECK(Contains(r.output, "p.yaml:1:1: warning: spec.containers[0]: " + warning));
  const auto report = nlohmann::json::parse(Read(dir / "r.json"));
  REQUIRE_FALSE(report["notes"].empty());
  CHECK(Contains(report["notes"][0]["text"].get<std::string>(), warning));
  // Mapped to nothing but itself: meant, so no warning.
  auto meant = RunCli({"run", "p.yaml", "--image", "busybox:1.36={}", "-q"}, dir.path());
  CHECK(meant.exit_code == 0);
  CHECK(meant.output.empty());
  // ptsim's own fake trainer is written to run here: no warning either.
  Write(dir / "w.yaml", Pod("busybox:1.36", "    command: [ptsim-worker, --steps, \"1\"]\n"));
  auto worker = RunCli({"run", "w.yaml", "-q"}, dir.path());
  CHECK(worker.exit_code == 0);
  CHECK(worker.output.empty());
}

TEST_CASE("a mapping no container uses is a warning naming the nearest image") {
  TempDir dir;
  Write(dir / "p.yaml", Pod("trainer:v1", "    command: [sh, -c, \"exit 0\"]\n"));
  auto r = RunCli({"run", "p.yaml", "-q", "--image", "trainr:v1={run: [sh, -c, \"exit 0\"]}"},
                  dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(Contains(r.output,
                 "--image 'trainr:v1={run: [sh, -c, \"exit 0\"]}': warning: image "
                 "\"trainr:v1\": no container uses this mapping; did you mean "
                 "\"trainer:v1\"?"));
}

TEST_CASE("a scenario's mapping and the command line's may agree but never conflict") {
  TempDir dir;
  Write(dir / "s.yaml",
        "apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\nimages:\n"
        "  trainer:v1: {run: [sh, -c, \"exit 0\"]}\npods:\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n"
        "    restartPolicy: Never\n    containers: [{name: c, image: \"trainer:v1\"}]\n");
  auto same = RunCli({"run", "s.yaml", "-q", "--image", "trainer:v1={run: [sh, -c, \"exit 0\"]}"},
                     dir.path());
  INFO(same.output);
  CHECK(same.exit_code == 0);
  auto conflict = RunCli(
      {"run", "s.yaml", "-q", "--image", "trainer:v1={run: [sh, -c, \"exit 1\"]}"}, dir.path());
  INFO(conflict.output);
  CHECK(conflict.exit_code == 2);
  CHECK(Contains(conflict.output,
                 "error: image \"trainer:v1\": mapped twice, differently: {run: [sh, -c, exit "
                 "0]} by s.yaml:5:15 and {run: [sh, -c, exit 1]} by --image 'trainer:v1={run: "
                 "[sh, -c, \"exit 1\"]}'; neither wins"));
  CHECK(Contains(conflict.output, "nothing was run"));
}

TEST_CASE("bad --image and --images flags are exit 2, naming the flag or the file and line") {
  TempDir dir;
  Write(dir / "p.yaml", Pod("t", "    command: [sh, -c, \"exit 0\"]\n"));
  auto flag = RunCli({"run", "p.yaml", "--image", "t={rn: [sh]}"}, dir.path());
  CHECK(flag.exit_code == 2);
  CHECK(Contains(flag.output,
                 "--image 't={rn: [sh]}': error: images[t].rn: unknown field "
                 "\"rn\"; did you mean \"run\"?"));
  Write(dir / "images.yaml", "images:\n  t:\n    run: sh\n");
  auto file = RunCli({"run", "p.yaml", "--images", "images.yaml"}, dir.path());
  CHECK(file.exit_code == 2);
  CHECK(Contains(file.output, "images.yaml:3:10: error: images[t].run: expected a list"));
  CHECK(Contains(file.output, "nothing was run"));
}

TEST_CASE(
    "paths in an --images file are relative to it, those of --image to the current directory") {
  TempDir dir;
  TempDir elsewhere;
  fs::create_directories(dir / "conf");
  WriteScript(dir / "conf/where.sh", "echo \"ran in $(pwd)\"\n");
  Write(dir / "p.yaml", Pod("t:1", ""));
  Write(dir / "conf/images.yaml", "images:\n  t:1: {run: [./where.sh]}\n");
  auto r = RunCli(
      {"run", dir / "p.yaml", "--images", dir / "conf/images.yaml", "-q", "--runs-dir", "runs"},
      elsewhere.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(RunCli({"logs", "p", "p", "--runs-dir", "runs"}, elsewhere.path()).output ==
        "ran in " + dir / "conf" + "\n");
  auto flag = RunCli(
      {"run", dir / "p.yaml", "--image", "t:1={run: [./where.sh]}", "-q", "--runs-dir", "runs"},
      dir / "conf");
  INFO(flag.output);
  CHECK(flag.exit_code == 0);
  CHECK(RunCli({"logs", "p", "p", "--runs-dir", "runs"}, dir / "conf").output ==
        "ran in " + dir / "conf" + "\n");
}

// A scenario whose job file lives in a subdirectory, whose image mapping
// runs a script of the scenario's directory, in a workingDir relative to the
// job file.
void WriteRelativeScenario(const TempDir& dir, const std::string& working_dir) {
  fs::create_directories(dir / "manifests");
  fs::create_directories(dir / "bin");
  fs::create_directories(dir / "work");
  WriteScript(dir / "bin/train.sh", "echo \"cwd=$(pwd) args=$*\"\n");
  Write(dir / "s.yaml",
        "apiVersion: ptsim.io/v1\nkind: Scenario\nname: rel\nimages:\n"
        "  trainer:1: {entrypoint: [./bin/train.sh]}\njobFile: manifests/job.yaml\nexpect:\n"
        "- finalCondition: {type: Succeeded}\n"
        "- log: {pod: j-master-0, matches: \"^cwd=.*/work args=--epochs=1$\"}\n");
  Write(dir / "manifests/job.yaml",
        "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
        "  pytorchReplicaSpecs:\n    Master:\n      replicas: 1\n      restartPolicy: Never\n"
        "      template:\n        spec:\n          containers:\n          - name: pytorch\n"
        "            image: trainer:1\n            args: [--epochs=1]\n            workingDir: " +
            working_dir + "\n");
}

TEST_CASE("the same scenario run from its directory and from another behaves identically") {
  TempDir dir;
  TempDir elsewhere;
  WriteRelativeScenario(dir, "../work");
  auto here = RunCli({"run", "s.yaml", "--runs-dir", elsewhere / "a", "--no-timeline"}, dir.path());
  auto there =
      RunCli({"run", dir / "s.yaml", "--runs-dir", "b", "--no-timeline"}, elsewhere.path());
  INFO(here.output);
  INFO(there.output);
  CHECK(here.exit_code == 0);
  CHECK(there.exit_code == 0);
  const std::string log_here = RunCli({"logs", elsewhere / "a/rel", "j-master-0"}, "/").output;
  const std::string log_there = RunCli({"logs", elsewhere / "b/rel", "j-master-0"}, "/").output;
  CHECK(log_here == "cwd=" + dir / "work" + " args=--epochs=1\n");
  CHECK(log_here == log_there);
}

TEST_CASE("a workingDir that does not exist is an error before anything runs") {
  TempDir dir;
  WriteRelativeScenario(dir, "../nowhere");
  auto r = RunCli({"run", dir / "s.yaml"}, "/");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.output,
                 "manifests/job.yaml:12:13: error: PyTorchJob \"j\": "
                 "spec.pytorchReplicaSpecs[Master].template.spec.containers[0]: "
                 "container \"pytorch\": the working directory " +
                     dir / "nowhere" + " does not exist"));
  CHECK(Contains(r.output, "nothing was run"));
}

TEST_CASE("a mapping with only workingDir and env runs the container's own command there") {
  TempDir dir;
  fs::create_directories(dir / "sub");
  Write(dir / "p.yaml", Pod("t:1", "    command: [sh, -c, 'echo \"$MODE $(pwd)\"']\n"));
  auto r = RunCli({"run", "p.yaml", "-q", "--image", "t:1={workingDir: sub, env: {MODE: fast}}"},
                  dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(RunCli({"logs", "p", "p"}, dir.path()).output == "fast " + dir / "sub" + "\n");
}

TEST_CASE(
    "args alone run after the mapping's entrypoint, and without one there is nothing to run") {
  TempDir dir;
  Write(dir / "p.yaml", Pod("t:1", "    args: [-c, \"echo from args\"]\n"));
  auto r = RunCli({"run", "p.yaml", "-q", "--image", "t:1={entrypoint: [sh]}"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(RunCli({"logs", "p", "p"}, dir.path()).output == "from args\n");
  auto none = RunCli({"run", "p.yaml", "--image", "t:1={env: {A: b}}"}, dir.path());
  CHECK(none.exit_code == 2);
  CHECK(Contains(none.output,
                 "p.yaml:1:1: error: Pod \"p\": spec.containers[0]: container \"c\": nothing to "
                 "run: the container has only args, and the mapping of image \"t:1\" (--image "
                 "'t:1={env: {A: b}}') names no entrypoint: add one, as in --image "
                 "'t:1={entrypoint: [python3]}', or `run: [...]` to the mapping, or give the "
                 "container a `command`"));
}

}  // namespace
}  // namespace ptsim
