// Reports that the disk cannot take: a full runs directory makes the run fail
// loudly (exit 3, the file and the reason named), never leaves an empty or cut
// report, and never prints PASS.
#include <sys/mount.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

namespace fs = std::filesystem;
using testing::Read;
using testing::RunCli;
using testing::TempDir;
using testing::Write;

// A tmpfs of `size` mounted on `dir` for the test's lifetime.
struct SmallDisk {
  std::string dir;
  bool mounted = false;
  std::string why_not;
  SmallDisk(std::string d, const char* size) : dir(std::move(d)) {
    fs::create_directories(dir);
    const std::string options = std::string("size=") + size;
    mounted = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0;
    if (!mounted) why_not = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted) ::umount2(dir.c_str(), MNT_DETACH);
  }
};

// A scripted job of 400 pods that succeeds: its report is far over 64 KiB.
const char* kLargeReport = R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: wide}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        metadata: {annotations: {script.ptsim.io/pytorch: "run 1s"}}
        spec: {containers: [{name: pytorch, image: scripted}]}
    Worker:
      replicas: 399
      template:
        metadata: {annotations: {script.ptsim.io/pytorch: "run 1s"}}
        spec: {containers: [{name: pytorch, image: scripted}]}
)";

TEST_CASE("a full runs directory fails the run with exit 3 and leaves no empty report") {
  TempDir dir;
  Write(dir.path() + "/wide.yaml", kLargeReport);
  SmallDisk disk(dir.path() + "/runs", "64k");
  if (!disk.mounted) {
    WARN("skipped: cannot mount a tmpfs (" << disk.why_not << "); needs root");
    return;
  }
  auto r = RunCli({"run", "wide.yaml", "--json", "all.json", "--runs-dir", "runs"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 3);
  CHECK(r.output.find("cannot write " + dir.path() + "/runs/wide/report") != std::string::npos);
  CHECK(r.output.find("No space left on device") != std::string::npos);
  CHECK(r.output.find("the run's reports are lost") != std::string::npos);
  CHECK(r.output.find("PASS") == std::string::npos);
  // Whatever report exists is whole; no temporary file is left behind.
  for (const auto& entry : fs::directory_iterator(dir.path() + "/runs/wide")) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    CHECK(name.find(".tmp-") == std::string::npos);
    if (entry.is_regular_file() && name.rfind("report", 0) == 0) CHECK(fs::file_size(entry) > 0);
  }
  if (fs::exists(dir.path() + "/runs/wide/report.json"))
    CHECK(nlohmann::json::parse(Read(dir.path() + "/runs/wide/report.json"))["passed"] == true);
  // The --json report, written elsewhere, says the run did not pass.
  CHECK(nlohmann::json::parse(Read(dir.path() + "/all.json"))["passed"] == false);
}

TEST_CASE("a runs directory too full for the run marker is refused before anything runs") {
  TempDir dir;
  Write(dir.path() + "/wide.yaml", kLargeReport);
  SmallDisk disk(dir.path() + "/runs", "4k");
  if (!disk.mounted) {
    WARN("skipped: cannot mount a tmpfs (" << disk.why_not << "); needs root");
    return;
  }
  Write(dir.path() + "/runs/filler", std::string(8192, 'x'));  // cut at the 4 KiB limit
  auto r = RunCli({"run", "wide.yaml", "--runs-dir", "runs"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("cannot write " + dir.path() + "/runs/wide/.ptsim-run") != std::string::npos);
  CHECK(r.output.find("PASS") == std::string::npos);
}

// The disk fills while the container writes its log (the container fills it
// itself, then frees it, so that the reports can be written afterwards).
TEST_CASE("a log cut by a full disk while the container runs is said so and fails the run") {
  TempDir dir;
  SmallDisk disk(dir.path() + "/runs", "1m");
  if (!disk.mounted) {
    WARN("skipped: cannot mount a tmpfs (" << disk.why_not << "); needs root");
    return;
  }
  const std::string filler = dir.path() + "/runs/filler";
  Write(
      dir.path() + "/cut.yaml",
      R"(apiVersion: v1
kind: Pod
metadata: {name: cut}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: [sh, -c, "head -c 2000000 /dev/zero > )" +
          filler +
          R"( 2>/dev/null; i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done; sleep 0.3; rm )" +
          filler + R"(; sleep 0.2"]
)");
  auto r = RunCli({"run", "cut.yaml", "--runs-dir", "runs"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("PASS") == std::string::npos);
  CHECK(r.output.find("note: the log of cut/main run 0 is incomplete: cannot write " + dir.path() +
                      "/runs/cut/pods/") != std::string::npos);
  CHECK(r.output.find("No space left on device; the log is cut after about") != std::string::npos);
  const auto report = nlohmann::json::parse(Read(dir.path() + "/runs/cut/report.json"));
  CHECK(report["passed"] == false);
  const auto& run = report["pods"][0]["containers"][0]["runs"][0];
  CHECK(run["exitCode"] == 0);
  CHECK(run["logError"].get<std::string>().find("No space left on device") != std::string::npos);
  CHECK(Read(dir.path() + "/runs/cut/trace.txt").find("container main log error: cannot write") !=
        std::string::npos);
}

}  // namespace
}  // namespace ptsim
