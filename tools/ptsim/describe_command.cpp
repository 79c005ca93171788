// `ptsim describe RUN TYPE/NAME`: picks the object in the run's report and
// prints it as kubectl describe (describe.go); the PyTorchJob through
// kubectl's generic describer (what kubectl uses for a CRD), the node through
// describeNode. The shared helpers of describe.hpp live here too.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "sim/model/quantity.hpp"
#include "tools/ptsim/commands.hpp"
#include "tools/ptsim/describe.hpp"
#include "tools/ptsim/kube_text.hpp"
#include "tools/ptsim/log_files.hpp"
#include "tools/ptsim/object_ref.hpp"
#include "tools/ptsim/report_objects.hpp"
#include "tools/ptsim/run_dir.hpp"

namespace ptsim::cli {
namespace {

using nlohmann::json;

int Fail(const std::string& message) {
  std::cerr << "ptsim describe: " << message << "\n";
  return 2;
}

// describe.go printUnstructuredContent: keys sorted, maps and lists nested
// two spaces deeper, scalars as "Label:\tvalue".
void PrintUnstructured(TabWriter& w, int level, const json& content) {
  const std::string in(static_cast<std::size_t>(level) * 2, ' ');
  for (const auto& [field, value] : content.items()) {  // nlohmann keeps keys sorted
    if (value.is_null()) continue;
    if (value.is_object()) {
      w.Write(fmt::format("{}{}:\n", in, SmartLabel(field)));
      PrintUnstructured(w, level + 1, value);
    } else if (value.is_array()) {
      w.Write(fmt::format("{}{}:\n", in, SmartLabel(field)));
      for (const auto& child : value) {
        if (child.is_object()) {
          PrintUnstructured(w, level + 1, child);
        } else {
          w.Write(fmt::format("{}  {}\n", in,
                              child.is_string() ? child.get<std::string>() : child.dump()));
        }
      }
    } else {
      w.Write(fmt::format("{}{}:\t{}\n", in, SmartLabel(field),
                          value.is_string() ? value.get<std::string>() : value.dump()));
    }
  }
}

// A report time (virtual seconds) as the unstructured object's timestamp.
json AsTime(const json& t) {
  return t.is_number() ? json(VirtualTime(t.get<double>())) : json();
}

// The job as the API server would return it: apiVersion, kind, metadata,
// spec (as submitted) and status, with virtual times.
json JobObject(const json& job) {
  json spec = job.value("spec", json::object());
  if (spec.is_object() && spec.contains("spec") && spec.contains("kind")) spec = spec["spec"];
  json status = job.value("status", json::object());
  if (status.is_object()) {
    for (const char* key : {"startTime", "completionTime", "lastReconcileTime"}) {
      if (status.contains(key)) status[key] = AsTime(status[key]);
    }
    if (status.contains("conditions")) {
      for (auto& c : status["conditions"]) {
        for (const char* key : {"lastTransitionTime", "lastUpdateTime"}) {
          if (c.contains(key)) c[key] = AsTime(c[key]);
        }
      }
    }
  }
  json metadata = {{"creationTimestamp", AsTime(job.value("createdAt", json()))},
                   {"uid", Str(job, "uid")}};
  if (job.value("deletedAt", json()).is_number())
    metadata["deletionTimestamp"] = AsTime(job["deletedAt"]);
  return {{"apiVersion", "kubeflow.org/v1"},
          {"kind", "PyTorchJob"},
          {"metadata", metadata},
          {"spec", spec},
          {"status", status}};
}

// A pod's total request or limit of `resource` (resourcehelper.PodRequests:
// the larger of the containers' sum and any init container's).
std::int64_t PodResource(const json& pod, const char* kind, const std::string& resource) {
  auto milli = [&](const json& c) -> std::int64_t {
    const json list = c.value("resources", json::object()).value(kind, json::object());
    if (!list.contains(resource) || !list[resource].is_string()) return 0;
    std::string error;
    auto q = Quantity::Parse(list[resource].get<std::string>(), &error);
    return q ? q->milli() : 0;
  };
  std::int64_t sum = 0;
  for (const auto& c : pod.value("containers", json::array()))
    sum += milli(c);
  for (const auto& c : pod.value("initContainers", json::array()))
    sum = std::max(sum, milli(c));
  return sum;
}

std::string Amount(const std::string& resource, std::int64_t milli, std::int64_t allocatable) {
  const std::string text = milli == 0 ? "0" : FormatQuantity(resource, milli);
  if (allocatable <= 0) return fmt::format("{} (0%)", text);
  return fmt::format("{} ({}%)", text,
                     static_cast<std::int64_t>(static_cast<double>(milli) /
                                               static_cast<double>(allocatable) * 100));
}

std::int64_t Allocatable(const json& node, const std::string& resource) {
  const json list = node.value("allocatable", json::object());
  if (!list.contains(resource) || !list[resource].is_string()) return 0;
  std::string error;
  auto q = Quantity::Parse(list[resource].get<std::string>(), &error);
  return q ? q->milli() : 0;
}

}  // namespace

void PrintLabelsMultiline(TabWriter& w, const std::string& title, const json& labels) {
  w.Write(title + ":\t");
  if (!labels.is_object() || labels.empty()) {
    w.Write("<none>\n");
    return;
  }
  bool first = true;
  for (const auto& [key, value] : labels.items()) {
    w.Write(fmt::format("{}{}={}\n", first ? "" : "\t", key,
                        value.is_string() ? value.get<std::string>() : value.dump()));
    first = false;
  }
}

void PrintAnnotationsMultiline(TabWriter& w, const std::string& title, const json& annotations) {
  constexpr std::size_t kMaxAnnotationLen = 140;  // describe.go maxAnnotationLen
  w.Write(title + ":\t");
  if (!annotations.is_object() || annotations.empty()) {
    w.Write("<none>\n");
    return;
  }
  bool first = true;
  for (const auto& [key, raw] : annotations.items()) {
    if (!first) w.Write("\t");
    first = false;
    std::string value = raw.is_string() ? raw.get<std::string>() : raw.dump();
    if (!value.empty() && value.back() == '\n') value.pop_back();
    if (value.size() + key.size() + 2 > kMaxAnnotationLen ||
        value.find('\n') != std::string::npos) {
      w.Write(key + ":\n");
      std::size_t start = 0;
      for (;;) {
        const auto nl = value.find('\n', start);
        std::string part = value.substr(start, nl == std::string::npos ? nl : nl - start);
        if (part.size() > kMaxAnnotationLen - 2)
          part = part.substr(0, kMaxAnnotationLen - 5) + "...";
        w.Write("\t  " + part + "\n");
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    } else {
      w.Write(fmt::format("{}: {}\n", key, value));
    }
  }
}

void DescribeEvents(TabWriter& w, const json& report, const std::string& kind,
                    const std::string& name, const std::string& uid, double end) {
  auto events = EventsFor(report, kind, name, uid);
  if (events.empty()) {
    w.Write("Events:\t<none>\n");
    return;
  }
  w.Flush();
  SortEvents(&events);
  w.Write("Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
  for (const auto* e : events) {
    std::string message = Str(*e, "message");
    const auto first = message.find_first_not_of(" \t\n");
    const auto last = message.find_last_not_of(" \t\n");
    message = first == std::string::npos ? "" : message.substr(first, last - first + 1);
    if (!Str(*e, "fieldPath").empty()) message = Str(*e, "fieldPath") + ": " + message;
    w.Write(fmt::format("  {}\t{}\t{}\t{}\t{}\n", Str(*e, "type"), Str(*e, "reason"),
                        EventInterval(*e, end), Str(*e, "source"), message));
  }
}

std::string DescribeJob(const json& report, const json& job, double end) {
  TabWriter w(0, 2);
  w.Write(fmt::format("Name:\t{}\nNamespace:\t{}\n", Str(job, "name"), Str(job, "namespace")));
  PrintLabelsMultiline(w, "Labels", job.value("labels", json::object()));
  PrintAnnotationsMultiline(w, "Annotations", job.value("annotations", json::object()));
  PrintUnstructured(w, 0, JobObject(job));
  DescribeEvents(w, report, "PyTorchJob", Str(job, "name"), Str(job, "uid"), end);
  return w.Text();
}

std::string DescribeNode(const json& report, const json& node, double end) {
  TabWriter w(0, 2);
  const json labels = node.value("labels", json::object());
  std::vector<std::string> roles;
  for (const auto& [key, value] : labels.items()) {
    if (key.starts_with("node-role.kubernetes.io/")) roles.push_back(key.substr(24));
  }
  w.Write(fmt::format("Name:\t{}\nRoles:\t{}\n", Str(node, "name"),
                      roles.empty() ? "<none>" : fmt::format("{}", fmt::join(roles, ","))));
  PrintLabelsMultiline(w, "Labels", labels);
  PrintAnnotationsMultiline(w, "Annotations", node.value("annotations", json::object()));
  w.Write(fmt::format("CreationTimestamp:\t{}\n", VirtualTime(node.value("createdAt", 0.0))));
  w.Write("Taints:\t");
  std::vector<json> taints;
  for (const auto& t : node.value("taints", json::array()))
    taints.push_back(t);
  std::stable_sort(taints.begin(), taints.end(), [](const json& a, const json& b) {
    return Str(a, "effect") + "," + Str(a, "key") < Str(b, "effect") + "," + Str(b, "key");
  });
  if (taints.empty()) w.Write("<none>\n");
  for (std::size_t i = 0; i < taints.size(); ++i) {
    const auto& t = taints[i];
    w.Write(fmt::format("{}{}{}:{}\n", i ? "\t" : "", Str(t, "key"),
                        Str(t, "value").empty() ? "" : "=" + Str(t, "value"), Str(t, "effect")));
  }
  w.Write(fmt::format("Unschedulable:\t{}\n", node.value("unschedulable", false)));
  const json conditions = node.value("conditions", json::array());
  if (!conditions.empty()) {
    w.Write(
        "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n"
        "  ----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const auto& c : conditions) {
      w.Write(fmt::format("  {} \t{} \t{} \t{} \t{} \t{}\n", Str(c, "type"), Str(c, "status"),
                          VirtualTime(c.value("lastHeartbeatTime", 0.0)),
                          VirtualTime(c.value("lastTransitionTime", 0.0)), Str(c, "reason"),
                          Str(c, "message")));
    }
  }
  w.Write("Addresses:\n");
  for (const auto& a : node.value("addresses", json::array()))
    w.Write(fmt::format("  {}:\t{}\n", Str(a, "type"), Str(a, "address")));
  for (const char* list : {"capacity", "allocatable"}) {
    const json resources = node.value(list, json::object());
    if (resources.empty()) continue;
    w.Write(list[0] == 'c' ? "Capacity:\n" : "Allocatable:\n");
    for (const auto& [name, q] : resources.items())
      w.Write(fmt::format("  {}:\t{}\n", name, q.is_string() ? q.get<std::string>() : q.dump()));
  }
  // Pods on the node that had not finished when the run ended.
  std::vector<const json*> pods;
  static const json kNone = json::array();
  const json& all_pods =
      report.contains("pods") && report["pods"].is_array() ? report["pods"] : kNone;
  for (const auto& p : all_pods) {
    const std::string phase = Str(p, "phase");
    if (Str(p, "node") == Str(node, "name") && phase != "Succeeded" && phase != "Failed" &&
        !p.value("deletedAt", json()).is_number())
      pods.push_back(&p);
  }
  const std::int64_t cpu = Allocatable(node, "cpu");
  const std::int64_t memory = Allocatable(node, "memory");
  w.Write(fmt::format("Non-terminated Pods:\t({} in total)\n", pods.size()));
  w.Write(
      "  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n"
      "  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  std::int64_t totals[4] = {0, 0, 0, 0};
  for (const auto* p : pods) {
    const std::int64_t v[4] = {PodResource(*p, "requests", "cpu"), PodResource(*p, "limits", "cpu"),
                               PodResource(*p, "requests", "memory"),
                               PodResource(*p, "limits", "memory")};
    for (int i = 0; i < 4; ++i)
      totals[i] += v[i];
    w.Write(fmt::format("  {}\t{}\t\t{}\t{}\t{}\t{}\t{}\n", Str(*p, "namespace"), Str(*p, "name"),
                        Amount("cpu", v[0], cpu), Amount("cpu", v[1], cpu),
                        Amount("memory", v[2], memory), Amount("memory", v[3], memory),
                        HumanDuration(end - p->value("createdAt", 0.0))));
  }
  w.Write(
      "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
      "  Resource\tRequests\tLimits\n  --------\t--------\t------\n");
  w.Write(
      fmt::format("  cpu\t{}\t{}\n", Amount("cpu", totals[0], cpu), Amount("cpu", totals[1], cpu)));
  w.Write(fmt::format("  memory\t{}\t{}\n", Amount("memory", totals[2], memory),
                      Amount("memory", totals[3], memory)));
  const json allocatable = node.value("allocatable", json::object());
  for (const auto& [name, q] : allocatable.items()) {
    if (name == "cpu" || name == "memory" || name == "pods" || name == "ephemeral-storage")
      continue;
    std::int64_t requests = 0;
    std::int64_t limits = 0;
    for (const auto* p : pods) {
      requests += PodResource(*p, "requests", name);
      limits += PodResource(*p, "limits", name);
    }
    w.Write(fmt::format("  {}\t{}\t{}\n", name,
                        requests == 0 ? "0" : FormatQuantity(name, requests),
                        limits == 0 ? "0" : FormatQuantity(name, limits)));
  }
  DescribeEvents(w, report, "Node", Str(node, "name"), Str(node, "uid"), end);
  return w.Text();
}

int Describe(const DescribeOptions& options) {
  std::string error;
  auto target = ParseObjectRef(
      options.target, {ObjectRef::Kind::kPod, ObjectRef::Kind::kJob, ObjectRef::Kind::kNode},
      std::nullopt, &error);
  if (!target) return Fail(error);
  if (target->kind != ObjectRef::Kind::kPod && (options.incarnation || !options.pod_uid.empty()))
    return Fail("--incarnation and --pod-uid pick an incarnation of a pod: describe pod/NAME");
  auto run = OpenRun(options.run, options.runs_dir, &error);
  if (!run) return Fail(error);
  const json* report = RequireReport(*run, "describe", &error);
  if (!report) return Fail(error);
  const double end = report->value("virtualSeconds", 0.0);
  std::string text;
  switch (target->kind) {
    case ObjectRef::Kind::kPod: {
      const PodIncarnation* pod =
          PickIncarnation(*run, target->name, options.incarnation, options.pod_uid, &error);
      if (!pod) return Fail(error);
      const json* entry = run->ReportOf(*pod);
      if (!entry)
        return Fail(fmt::format("pod \"{}\" (uid {}) is not in {}/report.json", pod->name, pod->uid,
                                run->path.string()));
      const auto all = run->Named(pod->name);
      if (all.size() > 1) {
        const auto index = std::find(all.begin(), all.end(), pod) - all.begin() + 1;
        std::cerr << fmt::format(
            "ptsim describe: pod {} was created {} times; this is incarnation {} (uid {}); pick "
            "another with --incarnation N (1 = the first, -1 = the newest)\n",
            pod->name, all.size(), index, pod->uid);
      }
      text = DescribePod(*report, *entry, end);
      break;
    }
    case ObjectRef::Kind::kJob: {
      const json* job = FindJob(*report, target->name, &error);
      if (!job) return Fail(error);
      text = DescribeJob(*report, *job, end);
      break;
    }
    case ObjectRef::Kind::kNode: {
      const json* node = FindNode(*report, target->name, &error);
      if (!node) return Fail(error);
      text = DescribeNode(*report, *node, end);
      break;
    }
  }
  std::cout << fmt::format(
      "# run {}, ended at {} virtual: times are virtual since the run began, ages count back "
      "from its end\n",
      Str(*report, "name"), VirtualTime(end));
  std::cout << text;
  return 0;
}

}  // namespace ptsim::cli
