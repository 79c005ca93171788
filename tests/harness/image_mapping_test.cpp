// Image mappings from a scenario, an --images file and --image: one YAML
// form, paths relative to where the mapping was written, conflicts named.
#include "sim/harness/image_mapping.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "sim/harness/document_kind.hpp"
#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::TempDir;
using testing::Write;
using Strings = std::vector<std::string>;

TEST_CASE("the --image flag takes the YAML flow mapping of a scenario's images entry") {
  auto m = ParseImageFlag(
      "docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727={run: [./bin/train, --steps, "
      "\"20\"], workingDir: data, env: {MODE: fast}}",
      "/home/me/project");
  INFO(m.diagnostics().Render());
  REQUIRE(m.ok());
  CHECK(m->ref == "docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727");
  CHECK(m->spec.run == Strings{"/home/me/project/bin/train", "--steps", "20"});
  CHECK(m->spec.working_dir == "/home/me/project/data");
  CHECK(m->spec.env == Strings{"MODE=fast"});
  CHECK(m->spec.base_dir == "/home/me/project");
  CHECK(m->from_command_line);
  // Bare program names are looked up in PATH; absolute paths stay.
  auto bare = ParseImageFlag("t={entrypoint: [python3, train.py], workingDir: /srv}", "/x");
  REQUIRE(bare.ok());
  CHECK(bare->spec.entrypoint == Strings{"python3", "train.py"});
  CHECK(bare->spec.working_dir == "/srv");
  // Only workingDir or env, or nothing at all, is a valid mapping.
  CHECK(ParseImageFlag("t={workingDir: /srv}", "/x").ok());
  CHECK(ParseImageFlag("t={}", "/x").ok());
}

TEST_CASE("a bad --image names the flag and says what to write") {
  auto render = [](const std::string& text) {
    return ParseImageFlag(text, "/x").diagnostics().Render();
  };
  CHECK(render("trainer") ==
        "--image 'trainer': error: write REF={...}, the image reference and what it runs as a "
        "YAML flow mapping, e.g. --image 'trainer:v1={run: [python3, train.py]}'\n");
  CHECK(render("t={rn: [x]}") ==
        "--image 't={rn: [x]}': error: images[t].rn: unknown field \"rn\"; did you mean "
        "\"run\"?\n");
  CHECK(render("t=[x]") ==
        "--image 't=[x]': error: expected a mapping after \"t=\", such as "
        "{run: [python3, train.py]}, {entrypoint: [python3]} or {workingDir: "
        "src}\n");
  CHECK(render("t={run: [x}").find("--image 't={run: [x}': error: malformed YAML after \"t=\"") ==
        0);
  CHECK(render("t={run: [x], script: run 1s}").find("give only one of `run`") != std::string::npos);
}

TEST_CASE("an --images file resolves paths against its own directory and names its lines") {
  TempDir dir;
  std::filesystem::create_directories(dir / "conf");
  Write(dir / "conf/images.yaml",
        "images:\n  trainer:1:\n    run: [./train.sh]\n    workingDir: ../work\n");
  auto m = LoadImagesFile("conf/images.yaml", dir.path());
  INFO(m.diagnostics().Render());
  REQUIRE(m.ok());
  REQUIRE(m->size() == 1);
  CHECK((*m)[0].spec.run == Strings{dir / "conf/train.sh"});
  CHECK((*m)[0].spec.working_dir == dir / "work");
  CHECK((*m)[0].origin == "conf/images.yaml:3:5");
  Write(dir / "bad.yaml", "imagez:\n  trainer:1: {run: [x]}\n");
  CHECK(LoadImagesFile("bad.yaml", dir.path()).diagnostics().Render() ==
        "bad.yaml:1:1: error: imagez: unknown field \"imagez\"; did you mean \"images\"?\n");
  Write(dir / "empty.yaml", "{}\n");
  CHECK(LoadImagesFile("empty.yaml", dir.path()).diagnostics().Render() ==
        "empty.yaml:1:1: error: images: Required value: the mappings go under `images:`\n");
  CHECK(LoadImagesFile("missing.yaml", dir.path()).diagnostics().Render() ==
        "missing.yaml: error: --images: cannot read the file: no such file or it is not "
        "readable\n");
}

TEST_CASE("the same reference mapped twice differently is an error naming both places") {
  std::vector<ImageMapping> into = {*ParseImageFlag("t={run: [a]}", "/x")};
  Diagnostics diags;
  MergeImageMappings({*ParseImageFlag("t={run: [a]}", "/x")}, &into, &diags);
  CHECK(diags.empty());  // identical: fine
  CHECK(into.size() == 1);
  MergeImageMappings({*ParseImageFlag("t={run: [b]}", "/x")}, &into, &diags);
  CHECK(diags.Render() ==
        "--image 't={run: [b]}': error: image \"t\": mapped twice, differently: {run: [a]} by "
        "--image 't={run: [a]}' and {run: [b]} by --image 't={run: [b]}'; neither wins: remove "
        "one, or make them the same\n");
  // The same relative path from two directories is two different programs.
  Diagnostics dirs;
  into = {*ParseImageFlag("t={run: [./a]}", "/x")};
  MergeImageMappings({*ParseImageFlag("t={run: [./a]}", "/y")}, &into, &dirs);
  CHECK_FALSE(dirs.ok());
}

TEST_CASE("kinds that look misspelt are errors with a suggestion, other kinds are ignored") {
  CHECK(ClassifyDocument("kubeflow.org/v1", "PyTorchJob") == DocumentKind::kJob);
  CHECK(ClassifyDocument("kubeflow.org/v1", "PytorchJob") == DocumentKind::kOther);
  for (const char* kind : {"PytorchJob", "pytorchjob", "Pytorchjob", "PyTorchJobs"}) {
    INFO(kind);
    CHECK(MisspeltKindProblem("kubeflow.org/v1", kind) ==
          std::string("unknown kind \"") + kind +
              "\"; did you mean \"PyTorchJob\" (apiVersion kubeflow.org/v1)?");
  }
  CHECK(MisspeltKindProblem("v1", "pod") ==
        "unknown kind \"pod\"; did you mean \"Pod\" (apiVersion v1)?");
  CHECK(
      MisspeltKindProblem("kubeflow.org/v1beta2", "PyTorchJob") ==
      "ptsim runs PyTorchJob objects of apiVersion kubeflow.org/v1, not \"kubeflow.org/v1beta2\": "
      "write `apiVersion: kubeflow.org/v1`");
  for (const char* kind : {"Service", "ConfigMap", "Node", "TFJob", "PodGroup", "Namespace"}) {
    INFO(kind);
    CHECK(MisspeltKindProblem("v1", kind).empty());
  }
  // ptsim runs batch/v1 Jobs: a Job of another apiVersion is a mistake, not ignored.
  CHECK(MisspeltKindProblem("v1", "Job") ==
        "ptsim runs Job objects of apiVersion batch/v1, not \"v1\": write `apiVersion: batch/v1`");
}

}  // namespace
}  // namespace ptsim
