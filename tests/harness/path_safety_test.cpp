// ptsim writes only inside its directories (docs/reliability.md section 3):
// no name from an input leads outside the runs directory, a directory ptsim
// did not make is never replaced, a whole run writes nothing outside its run
// directory, hostPath volumes are limited to directories the user named, and
// unwritable output places are refused before anything runs.
#include <sys/mount.h>
#include <unistd.h>

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

namespace fs = std::filesystem;
using testing::Read;
using testing::RunCli;
using testing::TempDir;
using testing::Write;

// Every file and directory below `root` (but `skip`), with the size and
// modification time of files: what a run may not change.
std::map<std::string, std::string> Snapshot(const std::string& root, const std::string& skip = "") {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string path = it->path().string();
    if (!skip.empty() && (path == skip || path.rfind(skip + "/", 0) == 0)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    std::string what = it->is_directory() ? "dir" : "file";
    if (it->is_regular_file()) {
      what +=
          fmt::format(" {} {}", it->file_size(), it->last_write_time().time_since_epoch().count());
    }
    out[path] = what;
  }
  return out;
}

std::string PodWith(const std::string& name, const std::string& container,
                    const std::string& volumes, const std::string& mounts) {
  return fmt::format(R"(apiVersion: v1
kind: Pod
metadata: {{name: {0}, annotations: {{"script.ptsim.io/{1}": "run 1s; exit 0"}}}}
spec:
  restartPolicy: Never
  containers:
  - name: {1}
    image: scripted
    volumeMounts: {3}
  volumes: {2}
)",
                     name, container, volumes, mounts);
}

TEST_CASE("no name from an input leads outside the runs directory") {
  TempDir dir;
  fs::create_directories(dir.path() + "/in");
  struct Case {
    std::string file;
    std::string text;
    std::string error;
  };
  const std::string pod = PodWith("p", "c", "[]", "[]");
  const std::vector<Case> cases = {
      {"...yaml", pod, "\"..\" cannot name a run directory"},
      {"..yaml", pod, "\".\" cannot name a run directory"},
      {std::string(230, 'n') + ".yaml", pod, "a run name has at most 200 bytes"},
      {"s.yaml",
       "apiVersion: ptsim.io/v1\nkind: Scenario\nname: ../../escape\npods:\n- apiVersion: v1\n  "
       "kind: Pod\n  metadata: {name: p}\n  spec: {containers: [{name: c, image: x}]}\n",
       "escape"},
      {"pod.yaml", PodWith("../../escape", "c", "[]", "[]"), "metadata.name: Invalid value"},
      {"nul.yaml", PodWith("\"a\\0b\"", "c", "[]", "[]"), "metadata.name: Invalid value"},
      {"container.yaml",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: "
       "\"../../escape\", image: busybox, command: [\"true\"]}]\n",
       "spec.containers[0].name: Invalid value"},
      {"volume.yaml",
       PodWith("p", "c", "[{name: \"../../../escape\", emptyDir: {}}]",
               "[{name: \"../../../escape\", mountPath: /data}]"),
       "spec.volumes[0].name: Invalid value"},
      {"claim.yaml",
       PodWith("p", "c", "[{name: v, persistentVolumeClaim: {claimName: \"../../../escape\"}}]",
               "[{name: v, mountPath: /data}]"),
       "spec.volumes[0].persistentVolumeClaim.claimName: Invalid value"},
      {"subpath.yaml",
       PodWith("p", "c", "[{name: v, emptyDir: {}}]",
               "[{name: v, mountPath: /data, subPath: ../../../../escape}]"),
       "spec.containers[0].volumeMounts[0].subPath: Invalid value: \"../../../../escape\": must "
       "not contain '..'"},
      {"abs-subpath.yaml",
       PodWith("p", "c", "[{name: v, emptyDir: {}}]",
               "[{name: v, mountPath: /data, subPath: /escape}]"),
       "must be a relative path"},
      {"hostpath.yaml",
       PodWith("p", "c", "[{name: v, hostPath: {path: /etc}}]", "[{name: v, mountPath: /data}]"),
       "spec.volumes[0].hostPath.path: \"/etc\" is outside the directories a hostPath may name"},
      {"backsteps.yaml",
       PodWith("p", "c", "[{name: v, hostPath: {path: \"in/../../x\"}}]",
               "[{name: v, mountPath: /data}]"),
       "must not contain '..'"},
      {"job.yaml", R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: j}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec:
          containers: [{name: pytorch, image: x, volumeMounts: [{name: "../../x", mountPath: /d}]}]
          volumes: [{name: "../../x", emptyDir: {}}]
)",
       "spec.pytorchReplicaSpecs[Master].template.spec.volumes[0].name: Invalid value"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    Write(dir.path() + "/in/" + c.file, c.text);
    const auto before = Snapshot(dir.path());
    const auto run = RunCli({"run", "in/" + c.file, "--runs-dir", "in/runs"}, dir.path());
    INFO(run.output);
    CHECK(run.exit_code == 2);
    CHECK(run.output.find(c.error) != std::string::npos);
    CHECK(Snapshot(dir.path()) == before);
    fs::remove(dir.path() + "/in/" + c.file);
  }
}

TEST_CASE("a Flyte execution's names cannot lead its attempt directory outside the run") {
  // flytepropeller derives each attempt's object name from the execution and
  // node ids; the attempt's directory <run>/flyte/<name> is emptied before
  // each attempt, so the name must stay one component below it.
  TempDir dir;
  fs::create_directories(dir.path() + "/in");
  Write(dir.path() + "/in/keep", "must survive");
  Write(dir.path() + "/in/flyte.yaml", R"(apiVersion: ptsim.io/v1
kind: Scenario
name: names
timeout: 5m
images:
  train:1: {script: "run 1s, exit 0"}
flyte:
  execution:
    executionId: {project: p, domain: d, name: "../../.."}
    nodeId: "../in"
  pytorch:
    worker: {replicas: 1}
  task: {name: train, image: "train:1", command: [python, train.py]}
)");
  const auto before = Snapshot(dir.path(), dir.path() + "/in/runs");
  const auto run = RunCli({"run", "in/flyte.yaml", "--runs-dir", "in/runs"}, dir.path());
  INFO(run.output);
  CHECK(Snapshot(dir.path(), dir.path() + "/in/runs") == before);
  CHECK(Read(dir.path() + "/in/keep") == "must survive");
  // Whatever the attempt is called, it is one directory under <run>/flyte.
  const fs::path flyte = dir.path() + "/in/runs/names/flyte";
  CHECK(run.exit_code == 0);
  REQUIRE(fs::is_directory(flyte));
  int attempts = 0;
  for (const auto& entry : fs::directory_iterator(flyte)) {
    ++attempts;
    CHECK(entry.is_directory());
    CHECK(entry.path().filename().string().find("..") == std::string::npos);
  }
  CHECK(attempts == 1);
}

TEST_CASE("a hostPath outside the allowed directories runs with --allow-host-path") {
  TempDir dir;
  fs::create_directories(dir.path() + "/shared");
  fs::create_directories(dir.path() + "/in");
  const std::string pod =
      PodWith("p", "c", "[{name: v, hostPath: {path: " + dir.path() + "/shared}}]",
              "[{name: v, mountPath: /data}]");
  Write(dir.path() + "/in/h.yaml", pod);
  auto refused = RunCli({"run", "in/h.yaml", "--runs-dir", "runs"}, dir.path());
  INFO(refused.output);
  CHECK(refused.exit_code == 2);
  CHECK(refused.output.find("h.yaml:1:1: error: Pod \"p\": spec.volumes[0].hostPath.path") !=
        std::string::npos);
  CHECK(refused.output.find("add --allow-host-path " + dir.path() + "/shared") !=
        std::string::npos);
  auto allowed = RunCli(
      {"run", "in/h.yaml", "--runs-dir", "runs", "--allow-host-path", dir.path() + "/shared"},
      dir.path());
  INFO(allowed.output);
  CHECK(allowed.exit_code == 0);
  // The input file's directory and below need no flag.
  fs::create_directories(dir.path() + "/in/data");
  Write(dir.path() + "/in/own.yaml",
        PodWith("p", "c", "[{name: v, hostPath: {path: data}}]", "[{name: v, mountPath: /d}]"));
  auto own = RunCli({"run", "own.yaml", "--runs-dir", "../runs"}, dir.path() + "/in");
  INFO(own.output);
  CHECK(own.exit_code == 0);
}

TEST_CASE("a directory without the run marker is never replaced") {
  TempDir dir;
  Write(dir.path() + "/x.yaml", PodWith("p", "c", "[]", "[]"));
  fs::create_directories(dir.path() + "/runs/x");
  Write(dir.path() + "/runs/x/precious.txt", "keep me\n");
  auto run = RunCli({"run", "x.yaml", "--runs-dir", "runs"}, dir.path());
  INFO(run.output);
  CHECK(run.exit_code == 2);
  CHECK(run.output.find("runs/x exists and is not a ptsim run directory") != std::string::npos);
  CHECK(Read(dir.path() + "/runs/x/precious.txt") == "keep me\n");
  // Nor is any other run's directory touched when one of several is refused.
  Write(dir.path() + "/a.yaml", PodWith("p", "c", "[]", "[]"));
  REQUIRE(RunCli({"run", "a.yaml", "--runs-dir", "runs"}, dir.path()).exit_code == 0);
  const auto before = Snapshot(dir.path());
  CHECK(RunCli({"run", "a.yaml", "x.yaml", "--runs-dir", "runs"}, dir.path()).exit_code == 2);
  CHECK(Snapshot(dir.path()) == before);
  // With the marker it is replaced.
  Write(dir.path() + "/runs/x/.ptsim-run", "ptsim\n");
  CHECK(RunCli({"run", "x.yaml", "--runs-dir", "runs"}, dir.path()).exit_code == 0);
  CHECK_FALSE(fs::exists(dir.path() + "/runs/x/precious.txt"));
}

TEST_CASE("a complete run writes nothing outside its run directory") {
  TempDir dir;
  Write(dir.path() + "/job.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: writer}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    # Mount paths reach a shell script through variables (docs/volumes.md).
    env: [{name: SCRATCH, value: /scratch}, {name: CLAIM, value: /claim}]
    command: [sh, -c, "echo hello; echo data > $$SCRATCH/a; echo more > $$CLAIM/b"]
    volumeMounts: [{name: scratch, mountPath: /scratch}, {name: claim, mountPath: /claim}]
  volumes: [{name: scratch, emptyDir: {}}, {name: claim, persistentVolumeClaim: {claimName: c}}]
)");
  fs::create_directories(dir.path() + "/runs");
  const auto before = Snapshot(dir.path(), dir.path() + "/runs/job");
  auto run = RunCli({"run", "job.yaml", "--runs-dir", "runs"}, dir.path());
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK(Snapshot(dir.path(), dir.path() + "/runs/job") == before);
  CHECK(Read(dir.path() + "/runs/job/volumes/default/c/b") == "more\n");
}

// A read-only filesystem: root may write anywhere else.
struct ReadOnlyMount {
  std::string dir;
  bool mounted = false;
  std::string why_not;
  explicit ReadOnlyMount(std::string d) : dir(std::move(d)) {
    fs::create_directories(dir);
    mounted = ::mount("tmpfs", dir.c_str(), "tmpfs", MS_RDONLY, "size=64k") == 0;
    if (!mounted) why_not = std::strerror(errno);
  }
  ~ReadOnlyMount() {
    if (mounted) ::umount2(dir.c_str(), MNT_DETACH);
  }
};

TEST_CASE("a read-only runs directory or output path is refused before anything runs") {
  TempDir dir;
  ReadOnlyMount ro(dir.path() + "/ro");
  if (!ro.mounted) {
    WARN("skipped: cannot mount a read-only tmpfs (" << ro.why_not << "); needs root");
    return;
  }
  Write(dir.path() + "/job.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  containers: [{name: c, image: busybox, command: [sh, -c, "touch started"]}]
)");
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--runs-dir", "ro/runs"},
        std::vector<std::string>{"--runs-dir", "ro"},
        std::vector<std::string>{"--runs-dir", "runs", "--json", "ro/r.json"},
        std::vector<std::string>{"--runs-dir", "runs", "--junit", "ro/r.xml"},
        std::vector<std::string>{"--runs-dir", "runs", "--html", "ro/r.html"}}) {
    std::vector<std::string> args{"run", "job.yaml"};
    args.insert(args.end(), flags.begin(), flags.end());
    INFO(fmt::format("{}", fmt::join(args, " ")));
    auto run = RunCli(args, dir.path());
    INFO(run.output);
    CHECK(run.exit_code == 2);
    CHECK(run.output.find("Read-only file system") != std::string::npos);
    CHECK(run.output.find("nothing was run") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path() + "/started"));
    CHECK_FALSE(fs::exists(dir.path() + "/runs"));
  }
}

}  // namespace
}  // namespace ptsim
