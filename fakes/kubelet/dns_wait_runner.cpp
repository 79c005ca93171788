#include "fakes/kubelet/dns_wait_runner.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <regex>

#include "sim/model/user_regex.hpp"

namespace ptsim {

std::optional<DnsWaitCommand> ParseDnsWaitCommand(const std::vector<std::string>& argv) {
  if (argv.size() != 3 || argv[0] != "sh" || argv[1] != "-c") return std::nullopt;
  static const std::regex kScript(
      R"(err=1;for i in \$\(seq ([0-9]+)\); do if nslookup ([^ ;]+); then err=0 && break; fi;)"
      R"(echo waiting for master; sleep 2; done; exit \$err)",
      kLinearRegex);
  std::smatch m;
  if (!std::regex_match(argv[2], m, kScript)) return std::nullopt;
  return DnsWaitCommand{m[2].str(), std::stoi(m[1].str())};
}

DnsWaitRunner::~DnsWaitRunner() {
  for (auto& [id, w] : waits_)
    loop_.Cancel(w.timer);
}

Result<ProcessId> DnsWaitRunner::Spawn(const ProcessSpec& spec, Callbacks callbacks) {
  auto command = ParseDnsWaitCommand(spec.argv);
  if (!command) {
    Diagnostics d;
    d.Error({}, spec.name, "", "not an init-pytorch DNS wait command");
    return d;
  }
  const ProcessId id = next_id_++;
  // The pod's namespace is the second path element of "ns/pod/container".
  std::string ns = namespace_;
  if (auto slash = spec.name.find('/'); slash != std::string::npos) ns = spec.name.substr(0, slash);
  waits_[id] = Wait{*command, ns, std::move(callbacks), 0, {}, false};
  loop_.Post([this, id] { Try(id); });
  return id;
}

void DnsWaitRunner::Try(ProcessId id) {
  auto it = waits_.find(id);
  if (it == waits_.end() || it->second.frozen) return;
  Wait& w = it->second;
  w.timer = {};
  auto out = [&](const std::string& line) {
    if (w.callbacks.on_output) w.callbacks.on_output(line);
  };
  ++w.tries;
  if (auto ep = network_.Resolve(w.ns, w.command.name, /*require_ready=*/true)) {
    out("Server:\t\t10.96.0.10");
    out("Address:\t10.96.0.10:53");
    out("");
    out(fmt::format("Name:\t{}.{}.svc.cluster.local", w.command.name, w.ns));
    out(fmt::format("Address: {}", ep->ip));
    End(id, ProcessExit::Exited(0));
    return;
  }
  out(fmt::format("** server can't find {}: NXDOMAIN", w.command.name));
  out("waiting for master");
  if (w.tries >= w.command.max_tries) {
    loop_.After(std::chrono::seconds(2), [this, id] { End(id, ProcessExit::Exited(1)); });
    return;
  }
  w.timer = loop_.After(std::chrono::seconds(2), [this, id] { Try(id); });
}

void DnsWaitRunner::End(ProcessId id, ProcessExit exit) {
  auto it = waits_.find(id);
  if (it == waits_.end()) return;
  Wait w = std::move(it->second);
  waits_.erase(it);
  loop_.Cancel(w.timer);
  if (w.callbacks.on_exit) w.callbacks.on_exit(exit);
}

void DnsWaitRunner::Signal(ProcessId id, int signal) {
  auto it = waits_.find(id);
  if (it == waits_.end()) return;
  Wait& w = it->second;
  if (signal == SIGSTOP) {
    w.frozen = true;
    loop_.Cancel(w.timer);
    return;
  }
  if (signal == SIGCONT) {
    if (w.frozen) {
      w.frozen = false;
      w.timer = loop_.After(std::chrono::seconds(2), [this, id] { Try(id); });
    }
    return;
  }
  if (signal == SIGCHLD || signal == SIGURG || signal == SIGWINCH) return;
  loop_.Post([this, id, signal] { End(id, ProcessExit::Signaled(signal)); });
}

}  // namespace ptsim
