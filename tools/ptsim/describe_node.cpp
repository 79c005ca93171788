// kubectl describe node over a report's node (describe.go describeNode,
// describeNodeResource): labels, taints, conditions, addresses, capacity and
// allocatable, the pods still on the node when the run ended with what they
// request, and the totals. ptsim has no node system info, leases or pod
// CIDRs; those sections are left out.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>

#include "sim/model/quantity.hpp"
#include "tools/ptsim/describe.hpp"
#include "tools/ptsim/kube_text.hpp"

namespace ptsim::cli {
namespace {

using nlohmann::json;

// A pod's total request or limit of `resource` (resourcehelper.PodRequests:
// the larger of the containers' sum and any init container's).
std::int64_t PodResource(const json& pod, const char* kind, const std::string& resource) {
  auto milli = [&](const json& c) -> std::int64_t {
    const json list = c.value("resources", json::object()).value(kind, json::object());
    if (!list.contains(resource) || !list[resource].is_string()) return 0;
    auto q = Quantity::Parse(list[resource].get<std::string>());
    return q.ok() ? q->milli() : 0;
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
  auto q = Quantity::Parse(list[resource].get<std::string>());
  return q.ok() ? q->milli() : 0;
}

}  // namespace

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

}  // namespace ptsim::cli
