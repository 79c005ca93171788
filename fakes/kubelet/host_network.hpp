// Pod networking in ptsim's default host-network mode (docs/networking.md).
//
// Every pod gets a loopback address (127.0.x.y), stable by namespace/name so
// that a recreated pod keeps it. Names that Kubernetes DNS would resolve (a
// Service as `svc`, `svc.ns`, `svc.ns.svc` or `svc.ns.svc.cluster.local`; a
// pod with a hostname and subdomain as `<hostname>.<subdomain>[.ns...]`)
// resolve to the address of the pod the Service selects. Because torch's
// TCPStore binds the wildcard address, distinct loopback addresses do not
// keep jobs apart; ports do: a port a pod declares is mapped to a free host
// port, stable by pod name and declared port, so MASTER_PORT in every pod of a
// job agrees with the port the master really listens on.
//
// Rewrite() applies the documented rules to a container's environment and
// arguments (docs/networking.md "What is rewritten"). Only values that hold a
// host by role are touched: an env variable whose name ends in `_ADDR`,
// `_HOST` or `_ENDPOINT` (the operator's MASTER_ADDR, PET_MASTER_ADDR and
// PET_RDZV_ENDPOINT, which torchrun reads as --master-addr and
// --rdzv-endpoint) and whose value the manifest wrote; a numeric `<X>_PORT`
// whose sibling `<X>_ADDR` names a Service; an argument that is a Service
// name or `host:port`, alone or as `--flag=value`. A value from the downward
// API (valueFrom) is the pod's own data, never an address to resolve: Flyte's
// `_F_WN` (metadata.name) must stay the pod's name although a Service of the
// same name exists. Loop thread only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fakes/apiserver/api_server.hpp"

namespace ptsim {

// Finds free TCP ports. The real one asks the kernel (bind to port 0).
class PortAllocator {
 public:
  virtual ~PortAllocator() = default;
  virtual int Allocate() = 0;
};

class KernelPortAllocator final : public PortAllocator {
 public:
  int Allocate() override;
};

// Hands out ports from a counter: deterministic, for tests and scripted runs.
class SequentialPortAllocator final : public PortAllocator {
 public:
  explicit SequentialPortAllocator(int first) : next_(first) {}
  int Allocate() override { return next_++; }

 private:
  int next_;
};

class HostNetwork {
 public:
  HostNetwork(ApiServer& api, PortAllocator& ports) : api_(api), ports_(ports) {}

  std::string PodIP(const std::string& ns, const std::string& pod);
  int HostPort(const std::string& ns, const std::string& pod, int declared_port);
  // The other way: the pod an address was given to ("ns/pod"), and the port it
  // declared that `port` maps to (or `port` itself when it maps none).
  struct Owner {
    std::string pod;  // "ns/pod"
    int declared_port = 0;
  };
  std::optional<Owner> OwnerOf(const std::string& ip, int port) const;

  struct Endpoint {
    std::string pod;  // the selected pod's name
    std::string ip;
    std::string namespace_;          // the pod's
    bool publish_not_ready = false;  // the Service's publishNotReadyAddresses
  };
  // Resolves `name` as DNS would from namespace `ns`: a Service's names, and
  // `<hostname>.<subdomain>` (also `.<ns>`, `.<ns>.svc`,
  // `.<ns>.svc.cluster.local`) for a pod with that hostname and subdomain
  // that a headless Service named `subdomain` selects. With `require_ready`,
  // only a Running, ready, non-terminating pod counts (a headless Service's
  // DNS record exists only for ready endpoints), unless the Service publishes
  // not-ready addresses.
  std::optional<Endpoint> Resolve(const std::string& ns, const std::string& name,
                                  bool require_ready) const;

  // torch's c10d rendezvous lets the agent host its TCPStore when the
  // endpoint's host is one of the machine's own addresses, and counts every
  // loopback address as its own (torch/distributed/elastic/rendezvous/
  // utils.py, _matches_machine_hostname). Under ptsim every pod has a
  // loopback address, so every agent of a job would try to host the store.
  // For a pod whose env selects the c10d backend (PET_RDZV_BACKEND=c10d) and
  // names a Service in PET_RDZV_ENDPOINT, this appends `is_host=1` (the pod
  // the Service selects) or `is_host=0` (any other pod) to PET_RDZV_CONF, or
  // adds it: the answer torch's heuristic gives on a cluster, where each pod
  // has its own address. A PET_RDZV_CONF that already sets is_host, and a
  // `--rdzv_conf` flag (which overrides the env), are left alone. Call before
  // Rewrite(), which replaces the endpoint with an address.
  void AddC10dHostHint(const std::string& ns, const std::string& pod,
                       std::vector<std::pair<std::string, std::string>>* env) const;

  // Rewrites env values (in place, in order) and argv as described above.
  // `remap_ports` is false for scripted containers, which open no sockets;
  // `downward_api` names the variables whose value came from valueFrom.
  void Rewrite(const std::string& ns, std::vector<std::pair<std::string, std::string>>* env,
               std::vector<std::string>* argv, bool remap_ports,
               const std::set<std::string>& downward_api = {});

  // True for the env names whose value is a host (or host:port) by role:
  // `*_ADDR`, `*_HOST`, `*_ENDPOINT`.
  static bool IsAddressVariable(const std::string& name);

 private:
  std::optional<std::string> RewriteValue(const std::string& ns, const std::string& value,
                                          bool remap_ports);
  // The pod a DNS name's Service selects; `ip` is empty while the pod has no
  // address yet.
  std::optional<Endpoint> SelectedPod(const std::string& ns, const std::string& name) const;
  // The first pod Service `service` of `ns` selects.
  std::optional<Endpoint> ServiceEndpoint(const std::string& ns, const std::string& service) const;
  // The pod of a headless Service `subdomain` with that hostname and subdomain.
  std::optional<Endpoint> PodRecord(const std::string& ns, const std::string& hostname,
                                    const std::string& subdomain) const;
  // SelectedPod, when the pod has an address.
  std::optional<Endpoint> ResolveUnchecked(const std::string& ns, const std::string& name) const;

  ApiServer& api_;
  PortAllocator& ports_;
  std::map<std::string, std::string> ips_;  // "ns/pod" -> address
  std::map<std::pair<std::string, int>, int> host_ports_;
};

}  // namespace ptsim
