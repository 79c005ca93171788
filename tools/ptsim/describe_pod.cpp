// kubectl describe pod over a report's pod (describe.go describePod,
// describeContainers, describeContainerState, describeContainerEnvVars,
// describeVolumes). What ptsim does not model (priority, service account,
// image IDs, probes) is left out, as kubectl leaves out unset fields.
#include <fmt/format.h>

#include <algorithm>

#include "tools/ptsim/describe.hpp"
#include "tools/ptsim/kube_text.hpp"

namespace ptsim::cli {
namespace {

using nlohmann::json;

std::string Indent(int level) {
  return std::string(static_cast<std::size_t>(level) * 2, ' ');
}

std::string Time(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? VirtualTime(it->get<double>()) : "";
}

void DescribeState(TabWriter& w, const std::string& title, const json& state) {
  const std::string in = Indent(2);
  const std::string in3 = Indent(3);
  if (state.is_object() && state.contains("running")) {
    w.Write(fmt::format("{}{}:\tRunning\n{}Started:\t{}\n", in, title, in3,
                        Time(state["running"], "startedAt")));
  } else if (state.is_object() && state.contains("terminated")) {
    const json& t = state["terminated"];
    w.Write(fmt::format("{}{}:\tTerminated\n", in, title));
    if (!Str(t, "reason").empty()) w.Write(fmt::format("{}Reason:\t{}\n", in3, Str(t, "reason")));
    if (!Str(t, "message").empty())
      w.Write(fmt::format("{}Message:\t{}\n", in3, Str(t, "message")));
    w.Write(fmt::format("{}Exit Code:\t{}\n", in3, t.value("exitCode", 0)));
    if (t.value("signal", 0) > 0)
      w.Write(fmt::format("{}Signal:\t{}\n", in3, t.value("signal", 0)));
    w.Write(fmt::format("{}Started:\t{}\n{}Finished:\t{}\n", in3, Time(t, "startedAt"), in3,
                        Time(t, "finishedAt")));
  } else {
    w.Write(fmt::format("{}{}:\tWaiting\n", in, title));
    if (state.is_object() && state.contains("waiting") && !Str(state["waiting"], "reason").empty())
      w.Write(fmt::format("{}Reason:\t{}\n", in3, Str(state["waiting"], "reason")));
  }
}

void DescribeResources(TabWriter& w, const json& resources) {
  for (const char* kind : {"limits", "requests"}) {
    const json list =
        resources.is_object() ? resources.value(kind, json::object()) : json::object();
    if (list.empty()) continue;
    w.Write(fmt::format("{}{}:\n", Indent(2), kind[0] == 'l' ? "Limits" : "Requests"));
    for (const auto& [name, q] : list.items())
      w.Write(
          fmt::format("{}{}:\t{}\n", Indent(3), name, q.is_string() ? q.get<std::string>() : ""));
  }
}

// describeContainerEnvVars: declared values as written; a fieldRef or
// resourceFieldRef shown with the value the process saw (resolvedEnv).
void DescribeEnv(TabWriter& w, const json& c) {
  const json env = c.value("env", json::array());
  w.Write(fmt::format("{}Environment:{}\n", Indent(2), env.empty() ? "\t<none>" : ""));
  const json resolved = c.value("resolvedEnv", json::object());
  for (const auto& e : env) {
    const std::string name = Str(e, "name");
    const json from = e.value("valueFrom", json());
    if (!from.is_object()) {
      std::string value = Str(e, "value");
      std::size_t start = 0;
      for (bool first = true;; first = false) {
        const auto nl = value.find('\n', start);
        const std::string part = value.substr(start, nl == std::string::npos ? nl : nl - start);
        w.Write(first ? fmt::format("{}{}:\t{}\n", Indent(3), name, part)
                      : fmt::format("{}\t{}\n", Indent(3), part));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
      continue;
    }
    const std::string seen = resolved.is_object() ? Str(resolved, name.c_str()) : "";
    if (from.contains("fieldRef")) {
      w.Write(fmt::format("{}{}:\t{} (v1:{})\n", Indent(3), name, seen,
                          Str(from["fieldRef"], "fieldPath")));
    } else if (from.contains("resourceFieldRef")) {
      w.Write(fmt::format("{}{}:\t{} ({})\n", Indent(3), name, seen,
                          Str(from["resourceFieldRef"], "resource")));
    }
  }
}

void DescribeMounts(TabWriter& w, const json& c) {
  json mounts = c.value("volumeMounts", json::array());
  w.Write(fmt::format("{}Mounts:{}\n", Indent(2), mounts.empty() ? "\t<none>" : ""));
  std::vector<json> sorted(mounts.begin(), mounts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) {
    return Str(a, "mountPath") < Str(b, "mountPath");
  });
  for (const auto& m : sorted) {
    std::string flags = m.value("readOnly", false) ? "ro" : "rw";
    if (!Str(m, "subPath").empty()) flags += fmt::format(",path=\"{}\"", Str(m, "subPath"));
    w.Write(
        fmt::format("{}{} from {} ({})\n", Indent(3), Str(m, "mountPath"), Str(m, "name"), flags));
  }
}

std::string Ports(const json& c) {
  std::vector<std::string> ports;
  std::vector<std::string> host;
  for (const auto& p : c.value("ports", json::array())) {
    const std::string name = Str(p, "name").empty() ? "" : " (" + Str(p, "name") + ")";
    ports.push_back(fmt::format("{}/TCP{}", p.value("containerPort", 0), name));
    host.push_back(fmt::format("{}/TCP{}", p.value("hostPort", 0), name));
  }
  auto line = [&](const std::vector<std::string>& list, const char* one, const char* many) {
    if (list.empty()) return fmt::format("{}{}:\t<none>\n", Indent(2), one);
    return fmt::format("{}{}:\t{}\n", Indent(2), list.size() > 1 ? many : one,
                       fmt::join(list, ", "));
  };
  return line(ports, "Port", "Ports") + line(host, "Host Port", "Host Ports");
}

void DescribeContainers(TabWriter& w, const std::string& label, const json& containers) {
  w.Write(fmt::format("{}:{}\n", label, containers.empty() ? " <none>" : ""));
  for (const auto& c : containers) {
    w.Write(fmt::format("{}{}:\n", Indent(1), Str(c, "name")));
    w.Write(fmt::format("{}Container ID:\t{}\n", Indent(2), Str(c, "containerID")));
    w.Write(fmt::format("{}Image:\t{}\n{}Image ID:\t\n", Indent(2), Str(c, "image"), Indent(2)));
    w.Write(Ports(c));
    for (const char* key : {"command", "args"}) {
      const json list = c.value(key, json::array());
      if (list.empty()) continue;
      w.Write(fmt::format("{}{}:\n", Indent(2), key[0] == 'c' ? "Command" : "Args"));
      for (const auto& arg : list) {
        const std::string text = arg.is_string() ? arg.get<std::string>() : arg.dump();
        std::size_t start = 0;
        for (;;) {
          const auto nl = text.find('\n', start);
          w.Write(Indent(3) + text.substr(start, nl == std::string::npos ? nl : nl - start) + "\n");
          if (nl == std::string::npos) break;
          start = nl + 1;
        }
      }
    }
    DescribeState(w, "State", c.value("state", json()));
    const json last = c.value("lastState", json());
    if (last.is_object() && last.contains("terminated")) DescribeState(w, "Last State", last);
    w.Write(fmt::format("{}Ready:\t{}\n", Indent(2), c.value("ready", false) ? "True" : "False"));
    w.Write(fmt::format("{}Restart Count:\t{}\n", Indent(2), c.value("restartCount", 0)));
    DescribeResources(w, c.value("resources", json()));
    DescribeEnv(w, c);
    DescribeMounts(w, c);
  }
}

void DescribeVolumes(TabWriter& w, const json& volumes) {
  if (volumes.empty()) {
    w.Write("Volumes:\t<none>\n");
    return;
  }
  w.Write("Volumes:\n");
  for (const auto& v : volumes) {
    w.Write(fmt::format("{}{}:\n", Indent(1), Str(v, "name")));
    if (v.contains("emptyDir")) {
      w.Write(
          fmt::format("{}Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                      "    Medium:\t{}\n    SizeLimit:\t<unset>\n",
                      Indent(2), Str(v["emptyDir"], "medium")));
    } else if (v.contains("hostPath")) {
      w.Write(
          fmt::format("{}Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n"
                      "    HostPathType:\t<none>\n",
                      Indent(2), Str(v["hostPath"], "path")));
    } else if (v.contains("persistentVolumeClaim")) {
      const json& pvc = v["persistentVolumeClaim"];
      w.Write(fmt::format(
          "{}Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
          "namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
          Indent(2), Str(pvc, "claimName"), pvc.value("readOnly", false) ? "true" : "false"));
    }
  }
}

// kubectl's qos.GetPodQOS, over cpu and memory requests and limits.
std::string QosClass(const json& pod) {
  bool any = false;
  bool guaranteed = true;
  for (const char* list : {"initContainers", "containers"}) {
    for (const auto& c : pod.value(list, json::array())) {
      const json r = c.value("resources", json::object());
      const json limits = r.value("limits", json::object());
      const json requests = r.value("requests", json::object());
      for (const char* name : {"cpu", "memory"}) {
        any = any || limits.contains(name) || requests.contains(name);
        if (!limits.contains(name)) guaranteed = false;
        if (requests.contains(name) && limits.contains(name) && requests[name] != limits[name])
          guaranteed = false;
      }
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

void PrintTolerations(TabWriter& w, const json& tolerations) {
  w.Write("Tolerations:\t");
  if (tolerations.empty()) {
    w.Write("<none>\n");
    return;
  }
  std::vector<json> sorted(tolerations.begin(), tolerations.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const json& a, const json& b) { return Str(a, "key") < Str(b, "key"); });
  bool first = true;
  for (const auto& t : sorted) {
    std::string line = first ? "" : "\t";
    first = false;
    line += Str(t, "key");
    if (!Str(t, "value").empty()) line += "=" + Str(t, "value");
    if (!Str(t, "effect").empty()) line += ":" + Str(t, "effect");
    if (Str(t, "operator") == "Exists" && Str(t, "value").empty())
      line += Str(t, "key").empty() && Str(t, "effect").empty() ? "op=Exists" : " op=Exists";
    if (t.value("tolerationSeconds", json()).is_number())
      line += fmt::format(" for {}s", t["tolerationSeconds"].get<long long>());
    w.Write(line + "\n");
  }
}

}  // namespace

std::string DescribePod(const json& report, const json& pod, double end) {
  TabWriter w(0, 2);
  w.Write(fmt::format("Name:\t{}\nNamespace:\t{}\n", Str(pod, "name"), Str(pod, "namespace")));
  if (!Str(pod, "priorityClassName").empty())
    w.Write(fmt::format("Priority Class Name:\t{}\n", Str(pod, "priorityClassName")));
  w.Write(Str(pod, "node").empty()
              ? std::string("Node:\t<none>\n")
              : fmt::format("Node:\t{}/{}\n", Str(pod, "node"), Str(pod, "hostIP")));
  if (pod.value("startTime", json()).is_number())
    w.Write(fmt::format("Start Time:\t{}\n", Time(pod, "startTime")));
  PrintLabelsMultiline(w, "Labels", pod.value("labels", json::object()));
  PrintAnnotationsMultiline(w, "Annotations", pod.value("annotations", json::object()));
  const std::string phase = Str(pod, "phase");
  const json requested = pod.value("deletionRequestedAt", json());
  if (requested.is_number() && phase != "Failed" && phase != "Succeeded") {
    // The deletionTimestamp is the request plus the grace period.
    const long long grace = pod.value("deletionGracePeriodSeconds", json(0)).is_number()
                                ? pod["deletionGracePeriodSeconds"].get<long long>()
                                : 0;
    w.Write(fmt::format("Status:\tTerminating (lasts {})\nTermination Grace Period:\t{}s\n",
                        HumanDuration(end - requested.get<double>() - static_cast<double>(grace)),
                        grace));
  } else {
    w.Write(fmt::format("Status:\t{}\n", phase));
  }
  if (!Str(pod, "reason").empty()) w.Write(fmt::format("Reason:\t{}\n", Str(pod, "reason")));
  if (!Str(pod, "message").empty()) w.Write(fmt::format("Message:\t{}\n", Str(pod, "message")));
  const std::string ip = Str(pod, "podIP");
  w.Write(fmt::format("IP:\t{}\n", ip));
  w.Write(ip.empty() ? std::string("IPs:\t<none>\n") : fmt::format("IPs:\n  IP:\t{}\n", ip));
  for (const auto& o : pod.value("ownerReferences", json::array())) {
    if (o.value("controller", false))
      w.Write(fmt::format("Controlled By:\t{}/{}\n", Str(o, "kind"), Str(o, "name")));
  }
  const json init = pod.value("initContainers", json::array());
  if (!init.empty()) DescribeContainers(w, "Init Containers", init);
  DescribeContainers(w, "Containers", pod.value("containers", json::array()));
  const json conditions = pod.value("conditions", json::array());
  if (!conditions.empty()) {
    w.Write("Conditions:\n  Type\tStatus\n");
    for (const auto& c : conditions)
      w.Write(fmt::format("  {} \t{} \n", Str(c, "type"), Str(c, "status")));
  }
  DescribeVolumes(w, pod.value("volumes", json::array()));
  w.Write(fmt::format("QoS Class:\t{}\n", QosClass(pod)));
  PrintLabelsMultiline(w, "Node-Selectors", pod.value("nodeSelector", json::object()));
  PrintTolerations(w, pod.value("tolerations", json::array()));
  DescribeEvents(w, report, "Pod", Str(pod, "name"), Str(pod, "uid"), end);
  return w.Text();
}

}  // namespace ptsim::cli
