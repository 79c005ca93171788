#include "fakes/kubelet/container_launch.hpp"

#include <catch2/catch.hpp>

#include <set>

namespace ptsim {
namespace {

Pod MakePod() {
  Pod pod;
  pod.metadata.name = "job-worker-0";
  pod.metadata.namespace_ = "team";
  pod.metadata.uid = "uid-1";
  pod.metadata.labels["app"] = "train";
  pod.status.pod_ip = "127.0.1.2";
  return pod;
}

TEST_CASE("command replaces the entrypoint and drops the image's cmd, and args replace cmd") {
  Pod pod = MakePod();
  ImageSpec image;
  image.entrypoint = {"python3", "train.py"};
  image.cmd = {"--epochs", "1"};
  Container c;
  c.name = "pytorch";
  auto plan = PlanContainer(pod, c, &image, nullptr, {}, {});
  CHECK(plan.argv == std::vector<std::string>{"python3", "train.py", "--epochs", "1"});
  c.args = {"--epochs", "5"};
  plan = PlanContainer(pod, c, &image, nullptr, {}, {});
  CHECK(plan.argv == std::vector<std::string>{"python3", "train.py", "--epochs", "5"});
  c.command = {"sh", "-c"};
  c.args = {"echo hi"};
  plan = PlanContainer(pod, c, &image, nullptr, {}, {});
  CHECK(plan.argv == std::vector<std::string>{"sh", "-c", "echo hi"});
}

TEST_CASE("an image's run replaces the whole command line, with or without a command") {
  Pod pod = MakePod();
  ImageSpec image;
  image.entrypoint = {"python3", "train.py"};
  image.run = {"ptsim-worker", "--steps", "3"};
  Container c;
  c.name = "pytorch";
  CHECK(PlanContainer(pod, c, &image, nullptr, {}, {}).argv == image.run);
  c.command = {"python3"};
  c.args = {"other.py"};
  CHECK(PlanContainer(pod, c, &image, nullptr, {}, {}).argv == image.run);
  CHECK(CommandLine(c, &image) == image.run);
}

TEST_CASE("args without a command run after the image's entrypoint, or alone without one") {
  Container c;
  c.args = {"--epochs", "5"};
  ImageSpec image;
  image.cmd = {"python3", "train.py"};
  CHECK(CommandLine(c, &image) == std::vector<std::string>{"--epochs", "5"});
  image.entrypoint = {"python3", "train.py"};
  CHECK(CommandLine(c, &image) == std::vector<std::string>{"python3", "train.py", "--epochs", "5"});
  CHECK(CommandLine(Container{}, nullptr).empty());
}

TEST_CASE("args alone under a mapping that names no entrypoint or cmd have nothing to run") {
  Pod pod = MakePod();
  Container c;
  c.name = "pytorch";
  c.image = "trainer:1";
  c.args = {"--epochs", "5"};
  ImageSpec image;
  image.env = {"DATA=/data"};
  image.working_dir = "/srv";
  CHECK(CommandLine(c, &image).empty());
  CHECK(CommandLine(c, nullptr) == std::vector<std::string>{"--epochs", "5"});  // unmapped
  auto plan = PlanContainer(pod, c, &image, nullptr, {}, {});
  CHECK(plan.error_reason == "CreateContainerError");
  CHECK(plan.error_message ==
        "no command specified: container \"pytorch\" has only args and the mapping of image "
        "\"trainer:1\" names no entrypoint");
  c.command = {"python3", "train.py"};  // its own command runs, in the mapping's directory
  plan = PlanContainer(pod, c, &image, nullptr, {}, {});
  CHECK(plan.argv == std::vector<std::string>{"python3", "train.py", "--epochs", "5"});
  CHECK(plan.working_dir == "/srv");
}

TEST_CASE("a process runs in the mapping's directory, else the container's, else the default") {
  Container c;
  c.command = {"python3", "train.py"};
  CHECK(WorkingDir(c, nullptr).empty());  // the runner's default: the run's directory
  c.working_dir = "/in/image";
  CHECK(WorkingDir(c, nullptr) == "/in/image");
  ImageSpec image;
  image.base_dir = "/home/me/project";
  CHECK(WorkingDir(c, &image) == "/in/image");  // the mapping does not supply the command
  image.run = {"ptsim-worker"};
  CHECK(WorkingDir(c, &image) == "/home/me/project");  // run replaces what is in the image
  image.working_dir = "/srv";
  CHECK(WorkingDir(c, &image) == "/srv");  // the mapping's wins
  Container args_only;
  args_only.args = {"--epochs=1"};
  ImageSpec entry;
  entry.entrypoint = {"python3", "train.py"};
  entry.base_dir = "/home/me/project";
  CHECK(WorkingDir(args_only, &entry) == "/home/me/project");
  CHECK(WorkingDir(c, &entry) == "/in/image");  // its own command: its own directory
}

TEST_CASE(
    "env values expand earlier variables, duplicates resolve last-wins, and argv expands too") {
  Pod pod = MakePod();
  Container c;
  c.name = "pytorch";
  c.command = {"echo", "$(GREETING)", "$$(GREETING)", "$(UNDEFINED)"};
  c.env = {{"NAME", "world", {}}, {"GREETING", "hello $(NAME)", {}}, {"NAME", "again", {}}};
  auto plan = PlanContainer(pod, c, nullptr, nullptr, {"PATH=/bin"}, {});
  CHECK(plan.argv ==
        std::vector<std::string>{"echo", "hello world", "$(GREETING)", "$(UNDEFINED)"});
  std::vector<std::pair<std::string, std::string>> expected = {{"PATH", "/bin"},
                                                               {"HOSTNAME", "job-worker-0"},
                                                               {"NAME", "again"},
                                                               {"GREETING", "hello world"}};
  CHECK(plan.env == expected);
}

TEST_CASE("the downward API resolves pod fields and resource limits") {
  Pod pod = MakePod();
  Container c;
  c.name = "pytorch";
  c.command = {"true"};
  c.resources.limits["memory"] = Quantity::Parse("1Gi").value();
  c.env = {{"POD", "", EnvVarSource{"metadata.name", "", "", {}}},
           {"NS", "", EnvVarSource{"metadata.namespace", "", "", {}}},
           {"APP", "", EnvVarSource{"metadata.labels['app']", "", "", {}}},
           {"IP", "", EnvVarSource{"status.podIP", "", "", {}}},
           {"MEM_MI", "", EnvVarSource{"", "limits.memory", "", Quantity::Parse("1Mi").value()}}};
  auto plan = PlanContainer(pod, c, nullptr, nullptr, {}, {});
  std::map<std::string, std::string> env(plan.env.begin(), plan.env.end());
  CHECK(env["POD"] == "job-worker-0");
  CHECK(env["NS"] == "team");
  CHECK(env["APP"] == "train");
  CHECK(env["IP"] == "127.0.1.2");
  CHECK(env["MEM_MI"] == "1024");
}

TEST_CASE("the plan lists the variables whose final value came from the downward API") {
  Pod pod = MakePod();
  Container c;
  c.name = "pytorch";
  c.command = {"true"};
  c.env = {{"_F_WN", "", EnvVarSource{"metadata.name", "", "", {}}},
           {"OVERRIDDEN", "", EnvVarSource{"metadata.name", "", "", {}}},
           {"MASTER_ADDR", "job-master-0", {}},
           {"OVERRIDDEN", "literal", {}}};
  auto plan = PlanContainer(pod, c, nullptr, nullptr, {}, {});
  CHECK(plan.downward_api_env == std::set<std::string>{"_F_WN"});
}

TEST_CASE("paths under a mountPath are mapped to the volume's host directory") {
  Pod pod = MakePod();
  Container c;
  c.name = "pytorch";
  c.command = {"train", "/ckpt/run1", "--out=/ckpt/model.pt", "/ckptx"};
  c.env = {{"CKPT", "/ckpt", {}}};
  c.working_dir = "/ckpt";
  auto plan = PlanContainer(pod, c, nullptr, nullptr, {}, {{"/ckpt", "/runs/r1/volumes/team/pvc"}});
  CHECK(plan.argv == std::vector<std::string>{"train", "/runs/r1/volumes/team/pvc/run1",
                                              "--out=/runs/r1/volumes/team/pvc/model.pt",
                                              "/ckptx"});
  CHECK(plan.working_dir == "/runs/r1/volumes/team/pvc");
}

TEST_CASE("a container with no command and an unknown image cannot be created") {
  Pod pod = MakePod();
  Container c;
  c.name = "pytorch";
  c.image = "unknown:1";
  auto plan = PlanContainer(pod, c, nullptr, nullptr, {}, {});
  CHECK(plan.error_reason == "CreateContainerError");
}

}  // namespace
}  // namespace ptsim
