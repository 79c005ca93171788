// Port of flytekit plugins/flytekit-kf-pytorch/tests/test_shared.py
// (docs/upstream/flyte.md#shared-memory; S14 of
// docs/upstream/flyte.md#conformance-checklist).
#include <catch2/catch.hpp>

#include "fakes/flyte/function_task.hpp"
#include "fakes/flyte/pod_template.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

const json kShmVolume = json::parse(R"({"name": "shm", "emptyDir": {"medium": "Memory"}})");
const json kShmMount = json::parse(R"({"name": "shm", "mountPath": "/dev/shm"})");

PodTemplate WithSpec(const char* spec) {
  PodTemplate t;
  t.pod_spec = json::parse(spec);
  return t;
}

bool Contains(const json& list, const json& item) {
  if (!list.is_array()) return false;
  for (const auto& x : list) {
    if (x == item) return true;
  }
  return false;
}

struct Case {
  const char* name;
  TaskConfig config;
  std::optional<PodTemplate> pod_template;
  bool needs_shm_volume;
  bool raises;
};

TEST_CASE("test_task_shared_memory: the pod template gets the shm volume as flytekit decides") {
  const char* user_shm = R"({"containers": [{"name": "primary",
      "volumeMounts": [{"name": "shm", "mountPath": "/dev/shm"}]}],
      "volumes": [{"name": "shm", "emptyDir": {"medium": "Memory"}}]})";
  std::vector<Case> cases = {
      {"PyTorch default", PyTorch{.num_workers = 3}, std::nullopt, true, false},
      {"Elastic increase_shared_mem", Elastic{.nnodes = int64_t{2}, .increase_shared_mem = true},
       std::nullopt, true, false},
      {"PyTorch disabled", PyTorch{.num_workers = 3, .increase_shared_mem = false}, std::nullopt,
       false, false},
      {"Elastic disabled", Elastic{.nnodes = int64_t{2}, .increase_shared_mem = false},
       std::nullopt, false, false},
      {"explicit empty PodTemplate", Elastic{.nnodes = int64_t{2}}, PodTemplate{}, true, false},
      {"template with primary container", Elastic{.nnodes = int64_t{2}},
       WithSpec(R"({"containers": [{"name": "primary"}]})"), true, false},
      {"template with other volume", Elastic{.nnodes = int64_t{2}},
       WithSpec(R"({"containers": [{"name": "primary",
                   "volumeMounts": [{"name": "foo", "mountPath": "/bar"}]}],
                   "volumes": [{"name": "foo"}]})"),
       true, false},
      {"two containers", Elastic{.nnodes = int64_t{2}},
       WithSpec(R"({"containers": [{"name": "primary"}, {"name": "secondary"}]})"), true, true},
      {"user shm kept when disabled", Elastic{.nnodes = int64_t{2}, .increase_shared_mem = false},
       WithSpec(user_shm), true, false},
      {"user shm and increase_shared_mem",
       Elastic{.nnodes = int64_t{2}, .increase_shared_mem = true}, WithSpec(user_shm), true, true},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      TaskDecorator decorator;
      decorator.pod_template = c.pod_template;
      auto task = CreateTask(c.config, decorator);
      if (c.raises) {
        CHECK_FALSE(task.ok());
        continue;
      }
      REQUIRE(task.ok());
      const TaskDecorator& after = std::visit(
          [](const auto& t) -> const TaskDecorator& { return t.decorator(); }, task.value());
      if (c.needs_shm_volume) {
        REQUIRE(after.pod_template.has_value());
        const json& spec = after.pod_template->pod_spec;
        CHECK(Contains(spec["volumes"], kShmVolume));
        CHECK(Contains(spec["containers"][0]["volumeMounts"], kShmMount));
      } else {
        bool no_template = !after.pod_template.has_value();
        CHECK((no_template ||
               !Contains(after.pod_template->pod_spec.value("volumes", json()), kShmVolume)));
      }
    }
  }
}

TEST_CASE("test_task_shared_memory: errors carry flytekit's ValueError messages") {
  TaskDecorator two;
  two.pod_template = WithSpec(R"({"containers": [{"name": "primary"}, {"name": "secondary"}]})");
  CHECK(OnlyError(CreateTask(Elastic{.nnodes = int64_t{2}}, two)) ==
        "When configuring a pod template with multiple containers, please set "
        "`increase_shared_mem=False` in the task config and if required mount a volume to "
        "increase the shared memory size in the respective container yourself.");
  TaskDecorator mounted;
  mounted.pod_template = WithSpec(R"({"containers": [{"name": "primary",
                  "volumeMounts": [{"name": "shm", "mountPath": "/dev/shm"}]}]})");
  CHECK(OnlyError(CreateTask(Elastic{.nnodes = int64_t{2}}, mounted)) ==
        "A shared memory volume mount is already configured in the pod template. Please remove "
        "the volume mount or set `increase_shared_mem=False` in the task config.");
}

TEST_CASE("derived: adding the shm volume warns about the deprecation") {
  auto task = CreateTask(PyTorch{.num_workers = 3});
  REQUIRE(task.ok());
  REQUIRE(task.diagnostics().items().size() == 1);
  CHECK(task.diagnostics().items()[0].severity == Diagnostic::Severity::kWarning);
  CHECK(task.diagnostics().items()[0].message == kSharedMemDeprecation);
}

TEST_CASE("derived: an empty pod spec gets a container literally named primary") {
  PodTemplate t;
  t.primary_container_name = "main";
  Diagnostics d = AddSharedMemVolumeToPodTemplate(&t, "elastic");
  CHECK(d.ok());
  CHECK(t.pod_spec["containers"][0]["name"] == "primary");
}

TEST_CASE("derived: an empty primary container name is rejected like flytekit's PodTemplate") {
  TaskDecorator d;
  d.pod_template = PodTemplate{.primary_container_name = ""};
  CHECK(OnlyError(CreateTask(PyTorch{.num_workers = 1}, d)) ==
        "A primary container name cannot be undefined");
}

TEST_CASE("test_native_task_arg: shared_memory=True wins over increase_shared_mem") {
  TaskDecorator d;
  d.shared_memory = true;
  for (TaskConfig config : {TaskConfig(Elastic{.nnodes = int64_t{2}, .increase_shared_mem = true}),
                            TaskConfig(PyTorch{.num_workers = 3, .increase_shared_mem = true})}) {
    auto task = CreateTask(config, d);
    REQUIRE(task.ok());
    std::visit([](const auto& t) { CHECK_FALSE(t.decorator().pod_template.has_value()); },
               task.value());
  }
}

TEST_CASE("derived: shared_memory=\"2Gi\" also suppresses the plugin's volume") {
  TaskDecorator d;
  d.shared_memory = std::string("2Gi");
  auto task = CreateTask(PyTorch{.num_workers = 3}, d);
  REQUIRE(task.ok());
  CHECK_FALSE(std::get<PyTorchFunctionTask>(task.value()).decorator().pod_template.has_value());
}

}  // namespace
}  // namespace ptsim::flyte
