#include "fakes/kubelet/host_network.hpp"

#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

#include "sim/model/service.hpp"

namespace ptsim {
namespace {

bool AllDigits(const std::string& s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool EndsWith(const std::string& name, const std::string& suffix) {
  return name.size() > suffix.size() &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

int KernelPortAllocator::Allocate() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_any;
  addr.sin6_port = 0;
  int port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin6_port);
  }
  ::close(fd);
  return port;
}

std::string HostNetwork::PodIP(const std::string& ns, const std::string& pod) {
  const std::string key = ns + "/" + pod;
  auto it = ips_.find(key);
  if (it != ips_.end()) return it->second;
  const std::size_t n = ips_.size();
  std::string ip = fmt::format("127.0.{}.{}", 1 + n / 254, 1 + n % 254);
  ips_.emplace(key, ip);
  return ip;
}

int HostNetwork::HostPort(const std::string& ns, const std::string& pod, int declared_port) {
  const auto key = std::make_pair(ns + "/" + pod, declared_port);
  auto it = host_ports_.find(key);
  if (it != host_ports_.end()) return it->second;
  const int port = ports_.Allocate();
  host_ports_.emplace(key, port);
  return port;
}

std::optional<HostNetwork::Owner> HostNetwork::OwnerOf(const std::string& ip, int port) const {
  for (const auto& [pod, address] : ips_) {
    if (address != ip) continue;
    Owner owner{pod, port};
    for (const auto& [key, host_port] : host_ports_) {
      if (key.first == pod && host_port == port) owner.declared_port = key.second;
    }
    return owner;
  }
  return std::nullopt;
}

std::optional<HostNetwork::Endpoint> HostNetwork::ServiceEndpoint(
    const std::string& ns, const std::string& service) const {
  auto svc = api_.collection<Service>().Get(ns, service);
  if (!svc || svc->spec.selector.empty()) return std::nullopt;
  const auto pods = api_.collection<Pod>().List(
      ns, LabelSelector::FromLabels(Labels(svc->spec.selector.begin(), svc->spec.selector.end())));
  if (pods.empty()) return std::nullopt;
  // The address is known once a kubelet admitted the pod; before that the
  // endpoint is the pod alone.
  auto ip = ips_.find(ns + "/" + pods.front()->metadata.name);
  return Endpoint{pods.front()->metadata.name, ip == ips_.end() ? "" : ip->second, ns,
                  svc->spec.publish_not_ready_addresses};
}

std::optional<HostNetwork::Endpoint> HostNetwork::PodRecord(const std::string& ns,
                                                            const std::string& hostname,
                                                            const std::string& subdomain) const {
  // Kubernetes DNS "A records for pods with hostname and subdomain": a
  // headless Service named `subdomain` in the pod's namespace selects it.
  auto svc = api_.collection<Service>().Get(ns, subdomain);
  if (!svc || svc->spec.cluster_ip != "None" || svc->spec.selector.empty()) return std::nullopt;
  const auto pods = api_.collection<Pod>().List(
      ns, LabelSelector::FromLabels(Labels(svc->spec.selector.begin(), svc->spec.selector.end())));
  for (const auto& pod : pods) {
    if (pod->spec.hostname != hostname || pod->spec.subdomain != subdomain) continue;
    auto ip = ips_.find(ns + "/" + pod->metadata.name);
    return Endpoint{pod->metadata.name, ip == ips_.end() ? "" : ip->second, ns,
                    svc->spec.publish_not_ready_addresses};
  }
  return std::nullopt;
}

std::optional<HostNetwork::Endpoint> HostNetwork::SelectedPod(const std::string& ns,
                                                              const std::string& name) const {
  // Services: svc, svc.ns, svc.ns.svc, svc.ns.svc.cluster.local. Pods with a
  // hostname and subdomain: host.sub, host.sub.ns, host.sub.ns.svc,
  // host.sub.ns.svc.cluster.local. A short name goes through the pod's
  // search path (<ns>.svc.cluster.local first), so `a.b` is host a of
  // subdomain b in the pod's namespace before it is Service a in namespace b.
  std::string rest = name;
  bool qualified = false;
  for (const char* suffix : {".svc.cluster.local", ".svc"}) {
    if (EndsWith(rest, suffix)) {
      rest = rest.substr(0, rest.size() - std::string(suffix).size());
      qualified = true;
      break;
    }
  }
  std::vector<std::string> labels;
  for (std::size_t start = 0;;) {
    const auto dot = rest.find('.', start);
    labels.push_back(
        rest.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const auto& l : labels)
    if (l.empty()) return std::nullopt;
  switch (labels.size()) {
    case 1:
      if (qualified) return std::nullopt;
      return ServiceEndpoint(ns, labels[0]);
    case 2:
      if (!qualified) {
        if (auto pod = PodRecord(ns, labels[0], labels[1])) return pod;
      }
      return ServiceEndpoint(labels[1], labels[0]);
    case 3:
      return PodRecord(labels[2], labels[0], labels[1]);
    default:
      return std::nullopt;
  }
}

std::optional<HostNetwork::Endpoint> HostNetwork::ResolveUnchecked(const std::string& ns,
                                                                   const std::string& name) const {
  auto ep = SelectedPod(ns, name);
  if (!ep || ep->ip.empty()) return std::nullopt;
  return ep;
}

std::optional<HostNetwork::Endpoint> HostNetwork::Resolve(const std::string& ns,
                                                          const std::string& name,
                                                          bool require_ready) const {
  auto endpoint = ResolveUnchecked(ns, name);
  if (!endpoint || !require_ready) return endpoint;
  // publishNotReadyAddresses: the record exists before the pod is ready.
  if (endpoint->publish_not_ready) return endpoint;
  auto pod = api_.collection<Pod>().Get(endpoint->namespace_, endpoint->pod);
  if (!pod || pod->status.phase != "Running" || pod->metadata.deletion_timestamp)
    return std::nullopt;
  const PodCondition* ready = pod->status.FindCondition("Ready");
  if (ready == nullptr || ready->status != "True") return std::nullopt;
  return endpoint;
}

std::optional<std::string> HostNetwork::RewriteValue(const std::string& ns,
                                                     const std::string& value, bool remap_ports) {
  if (value.empty()) return std::nullopt;
  if (auto ep = ResolveUnchecked(ns, value)) return ep->ip;
  const auto colon = value.rfind(':');
  if (colon != std::string::npos && colon > 0) {
    const std::string host = value.substr(0, colon);
    const std::string port = value.substr(colon + 1);
    if (AllDigits(port)) {
      if (auto ep = ResolveUnchecked(ns, host)) {
        const int p = std::stoi(port);
        return fmt::format("{}:{}", ep->ip, remap_ports ? HostPort(ns, ep->pod, p) : p);
      }
    }
  }
  return std::nullopt;
}

bool HostNetwork::IsAddressVariable(const std::string& name) {
  return EndsWith(name, "_ADDR") || EndsWith(name, "_HOST") || EndsWith(name, "_ENDPOINT");
}

void HostNetwork::Rewrite(const std::string& ns,
                          std::vector<std::pair<std::string, std::string>>* env,
                          std::vector<std::string>* argv, bool remap_ports,
                          const std::set<std::string>& downward_api) {
  // Remember what each *_ADDR variable named before rewriting, for the *_PORT rule.
  std::map<std::string, std::string> addr_targets;
  for (const auto& [name, value] : *env) {
    if (EndsWith(name, "_ADDR") && !downward_api.count(name)) {
      addr_targets[name.substr(0, name.size() - 5)] = value;
    }
  }
  for (auto& [name, value] : *env) {
    // The pod's own data from the downward API is never an address to
    // resolve, even when a Service of the same name exists (the pod's name).
    // HOSTNAME is not an address variable by name either.
    if (downward_api.count(name)) continue;
    if (IsAddressVariable(name)) {
      if (auto rewritten = RewriteValue(ns, value, remap_ports)) value = *rewritten;
      continue;
    }
    if (remap_ports && EndsWith(name, "_PORT") && AllDigits(value)) {
      auto target = addr_targets.find(name.substr(0, name.size() - 5));
      if (target == addr_targets.end()) continue;
      if (auto ep = ResolveUnchecked(ns, target->second)) {
        value = std::to_string(HostPort(ns, ep->pod, std::stoi(value)));
      }
    }
  }
  for (auto& arg : *argv) {
    if (auto rewritten = RewriteValue(ns, arg, remap_ports)) {
      arg = *rewritten;
      continue;
    }
    const auto eq = arg.find('=');
    if (arg.rfind("-", 0) == 0 && eq != std::string::npos) {
      if (auto rewritten = RewriteValue(ns, arg.substr(eq + 1), remap_ports)) {
        arg = arg.substr(0, eq + 1) + *rewritten;
      }
    }
  }
}

void HostNetwork::AddC10dHostHint(const std::string& ns, const std::string& pod,
                                  std::vector<std::pair<std::string, std::string>>* env) const {
  auto find = [&](const std::string& name) -> std::string* {
    // The last definition wins, as in the process's environment.
    for (auto it = env->rbegin(); it != env->rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  };
  const std::string* backend = find("PET_RDZV_BACKEND");
  const std::string* endpoint = find("PET_RDZV_ENDPOINT");
  if (backend == nullptr || *backend != "c10d" || endpoint == nullptr) return;
  std::string host = *endpoint;
  if (const auto colon = host.rfind(':'); colon != std::string::npos && colon > 0) {
    host = host.substr(0, colon);
  }
  const auto ep = SelectedPod(ns, host);
  if (!ep) return;
  const std::string hint = ep->pod == pod ? "is_host=1" : "is_host=0";
  if (std::string* conf = find("PET_RDZV_CONF")) {
    // Keys are separated by commas (torch's _parse_rendezvous_config).
    const std::string padded = "," + *conf;
    if (padded.find(",is_host=") != std::string::npos) return;
    *conf += (conf->empty() ? "" : ",") + hint;
  } else {
    env->emplace_back("PET_RDZV_CONF", hint);
  }
}

}  // namespace ptsim
