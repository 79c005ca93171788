#include "fakes/elastic/agent_watch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "fakes/elastic/python_syntax.hpp"

namespace ptsim::elastic {

namespace {

constexpr std::string_view kClientRetries =
    "a worker's TCPStore client (init_process_group with env://) retries a refused connection "
    "without a word until its timeout (30 min by default)";

std::string Secs(Duration d) {
  return PyFloatRepr(ToSeconds(d)) + "s";
}

}  // namespace

AgentWatch::AgentWatch(AgentContext& ctx, Notes* notes, Trace* trace, std::string who,
                       Options options)
    : ctx_(ctx), notes_(notes), trace_(trace), who_(std::move(who)), options_(options) {}

AgentWatch::~AgentWatch() {
  RendezvousWaitEnded();
  WorkersStopped();
}

void AgentWatch::Note(const std::string& text) {
  if (notes_) notes_->AddOnce(ctx_.loop->Now(), text);
  if (trace_) trace_->Record(ctx_.loop->Now(), "elastic", text);  // the text names the container
}

void AgentWatch::RendezvousWaitBegan(std::function<std::string()> describe, Duration timeout) {
  RendezvousWaitEnded();
  const Duration after = std::min(options_.rendezvous_after, timeout / 2);
  const Time began = ctx_.loop->Now();
  rendezvous_timer_ = ctx_.loop->After(after, life_.Wrap([this, describe, timeout, began] {
    rendezvous_timer_ = {};
    Note(
        fmt::format("{}: torchrun has waited {} for its rendezvous: {}; it gives up {} after it "
                    "began waiting",
                    who_, Secs(ctx_.loop->Now() - began), describe(), Secs(timeout)));
  }));
}

void AgentWatch::RendezvousWaitEnded() {
  ctx_.loop->Cancel(rendezvous_timer_);
}

void AgentWatch::WorkersStarted(const std::string& master_addr, int master_port,
                                bool use_agent_store, bool real) {
  WorkersStopped();
  const std::string endpoint = DescribeEndpoint(ctx_, master_addr, master_port);
  if (use_agent_store) {
    TcpStore& store = ctx_.registry->TcpStoreAt(master_addr, master_port, ctx_.address);
    if (!store.serving()) {
      Note(
          fmt::format("{}: its workers were given TORCHELASTIC_USE_AGENT_STORE=True and "
                      "MASTER_ADDR:MASTER_PORT={}, where no torchrun serves a store; {}",
                      who_, endpoint, kClientRetries));
      return;
    }
    watched_ = &store;
    stop_listener_ = store.AddStopListener(life_.Wrap([this, endpoint] {
      watched_ = nullptr;
      stop_listener_ = 0;
      Note(
          fmt::format("{}: the store at MASTER_ADDR:MASTER_PORT={} that its workers use closed: "
                      "the torchrun that hosted it ended. Workers connected to it fail at their "
                      "next store operation; {}",
                      who_, endpoint, kClientRetries));
    }));
    return;
  }
  if (!real) return;
  // Watch for rank 0's store once a second; once it has listened, it is up.
  PollWorkerStore(endpoint, master_port, ctx_.loop->Now() + options_.store_grace);
}

void AgentWatch::PollWorkerStore(const std::string& endpoint, int port, Time deadline) {
  if (PortListening(port)) return;
  if (ctx_.loop->Now() >= deadline) {
    Note(
        fmt::format("{}: nothing has listened on MASTER_ADDR:MASTER_PORT={} in the {} since its "
                    "workers started. With TORCHELASTIC_USE_AGENT_STORE=False the rank 0 worker "
                    "hosts this store when it calls init_process_group(env://); until it does, "
                    "{}",
                    who_, endpoint, Secs(options_.store_grace), kClientRetries));
    return;
  }
  store_timer_ =
      ctx_.loop->After(std::chrono::seconds(1), life_.Wrap([this, endpoint, port, deadline] {
        store_timer_ = {};
        PollWorkerStore(endpoint, port, deadline);
      }));
}

void AgentWatch::WorkersStopped() {
  ctx_.loop->Cancel(store_timer_);
  if (watched_ && stop_listener_) watched_->RemoveStopListener(stop_listener_);
  watched_ = nullptr;
  stop_listener_ = 0;
}

bool AgentWatch::PortListening(int port) {
  // /proc/net/tcp{,6}: "sl local_address rem_address st ...", the local
  // address as HEX_IP:HEX_PORT and st 0A for LISTEN.
  for (const char* path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string sl, local, remote, state;
      if (!(fields >> sl >> local >> remote >> state)) continue;
      const auto colon = local.rfind(':');
      if (colon == std::string::npos || state != "0A") continue;
      int listening = -1;
      const char* first = local.data() + colon + 1;
      const char* last = local.data() + local.size();
      if (std::from_chars(first, last, listening, 16).ptr == last && listening == port) return true;
    }
  }
  return false;
}

}  // namespace ptsim::elastic
