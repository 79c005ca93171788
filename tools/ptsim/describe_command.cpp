// `ptsim describe RUN TYPE/NAME`: picks the object in the run's report and
// prints it as kubectl describe (describe.go); the PyTorchJob through
// kubectl's generic describer (what kubectl uses for a CRD), the node through
// describeNode (describe_node.cpp). The shared helpers of describe.hpp live
// here too.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

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
  // Reports written before jobs had apiVersion and kind held PyTorchJobs only.
  return {{"apiVersion", job.value("apiVersion", "kubeflow.org/v1")},
          {"kind", job.value("kind", "PyTorchJob")},
          {"metadata", metadata},
          {"spec", spec},
          {"status", status}};
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
  DescribeEvents(w, report, job.value("kind", "PyTorchJob"), Str(job, "name"), Str(job, "uid"),
                 end);
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
