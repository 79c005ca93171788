// The operator's init-pytorch container, emulated. Its command is a shell loop
// around `nslookup <job>-master-0` (training-operator initcontainer.go); run
// for real it would query the machine's DNS, which knows nothing of ptsim's
// services. The kubelet recognises that exact script and runs it here instead:
// every 2s of virtual time the name is looked up in ptsim's own service
// registry (HostNetwork::Resolve, ready endpoints only, as a headless
// Service's DNS record needs a ready pod), printing what busybox's nslookup
// and the script print, and the container exits 0 once the name resolves, or 1
// after the script's number of tries. Loop thread only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fakes/kubelet/host_network.hpp"
#include "fakes/process/command_interceptor.hpp"

namespace ptsim {

struct DnsWaitCommand {
  std::string name;
  int max_tries = 0;
};

// Recognises `sh -c "err=1;for i in $(seq N); do if nslookup NAME; then ..."`.
std::optional<DnsWaitCommand> ParseDnsWaitCommand(const std::vector<std::string>& argv);

class DnsWaitRunner final : public CommandInterceptor {
 public:
  DnsWaitRunner(EventLoop& loop, const HostNetwork& network) : loop_(loop), network_(network) {}
  ~DnsWaitRunner() override;

  bool Intercepts(const ProcessSpec& spec) const override {
    return !spec.script && ParseDnsWaitCommand(spec.argv).has_value();
  }
  // REQUIRES: ParseDnsWaitCommand(spec.argv) succeeds; `ns` is the pod's namespace.
  Result<ProcessId> Spawn(const ProcessSpec& spec, Callbacks callbacks) override;
  void Signal(ProcessId id, int signal) override;
  bool Running(ProcessId id) const override { return waits_.count(id) > 0; }
  int Pid(ProcessId) const override { return 0; }
  void set_namespace(std::string ns) { namespace_ = std::move(ns); }

 private:
  struct Wait {
    DnsWaitCommand command;
    std::string ns;
    Callbacks callbacks;
    int tries = 0;
    EventLoop::TimerId timer;
    bool frozen = false;
  };
  void Try(ProcessId id);
  void End(ProcessId id, ProcessExit exit);

  EventLoop& loop_;
  const HostNetwork& network_;
  std::string namespace_ = "default";
  ProcessId next_id_ = 1;
  std::map<ProcessId, Wait> waits_;
};

}  // namespace ptsim
