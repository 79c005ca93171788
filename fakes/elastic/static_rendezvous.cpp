#include "fakes/elastic/static_rendezvous.hpp"

#include <fmt/format.h>

#include "fakes/elastic/store_util.hpp"

namespace ptsim::elastic {

StaticRendezvous::StaticRendezvous(AgentContext& ctx, const ElasticLaunchConfig& config)
    : ctx_(ctx),
      master_addr_(config.master_addr),
      master_port_(config.master_port),
      rank_(config.node_rank),
      world_size_(config.max_nodes),
      run_id_(config.run_id),
      timeout_(config.static_timeout) {}

StaticRendezvous::~StaticRendezvous() {
  ProcessEnded();
}

void StaticRendezvous::Create(Created done) {
  ctx_.loop->Post(life_.Wrap([done] { done(std::nullopt); }));
}

void StaticRendezvous::NextRendezvous(Joined done) {
  auto joined = [this, done] {
    RendezvousResult r;
    r.store = StoreHandle{store_, epoch_, run_id_};  // PrefixStore(run_id, store)
    r.group_rank = rank_;
    r.group_world_size = world_size_;
    done(r);
  };
  if (created_) {
    // The TCPStore is created once; later rounds reuse it.
    ctx_.loop->Post(life_.Wrap(joined));
    return;
  }
  created_ = true;
  store_ = &ctx_.registry->TcpStoreAt(master_addr_, master_port_, ctx_.address);
  const std::int64_t secs = std::chrono::duration_cast<std::chrono::seconds>(timeout_).count();
  if (rank_ == 0) {
    // TCPStore(is_master=True, world_size): bind, then wait for every client.
    if (!store_->StartServer(ctx_.agent_id)) {
      ctx_.loop->Post(life_.Wrap([done] {
        done(TorchrunError::Exception(
            "RuntimeError",
            "The server socket has failed to listen on any local network address."));
      }));
      return;
    }
    // The real socket, for real workers (TORCHELASTIC_USE_AGENT_STORE=True).
    std::string error;
    if (!ServeStore(ctx_, *store_, master_port_, &error)) {
      store_->StopServer(ctx_.agent_id);
      ctx_.loop->Post(
          life_.Wrap([done, error] { done(TorchrunError::Exception("RuntimeError", error)); }));
      return;
    }
    epoch_ = store_->epoch();
    store_->Connect();
    TcpStore* s = store_;
    const int n = world_size_;
    s->Wait(
        epoch_, [s, n] { return s->connections() >= n; }, timeout_,
        life_.Wrap([this, done, joined, secs](TcpStore::WaitEnd end) {
          if (end == TcpStore::WaitEnd::kReady) return joined();
          done(TorchrunError::Exception(
              "RuntimeError",
              fmt::format("Timed out after {} seconds waiting for clients. {}/{} clients joined.",
                          secs, store_->connections(), world_size_)));
        }));
    return;
  }
  // A client keeps trying to connect until the timeout.
  TcpStore* s = store_;
  s->Wait(
      0, [s] { return s->serving(); }, timeout_,
      life_.Wrap([this, done, joined, secs](TcpStore::WaitEnd end) {
        if (end != TcpStore::WaitEnd::kReady) {
          return done(TorchrunError::Exception(
              "RuntimeError",
              fmt::format("The client socket has timed out after {}s while trying to connect to "
                          "({}, {}).",
                          secs, master_addr_, master_port_)));
        }
        epoch_ = store_->epoch();
        store_->Connect();
        joined();
      }));
}

std::string StaticRendezvous::WaitDescription() const {
  if (rank_ == 0) {
    return fmt::format(
        "node rank 0 hosts the static rendezvous at {} and waits for {} agents to connect; {} "
        "have",
        DescribeEndpoint(ctx_, master_addr_, master_port_), world_size_,
        store_ ? store_->connections() : 0);
  }
  return fmt::format(
      "node rank {} waits for node rank 0's torchrun to serve the static rendezvous at {} "
      "(--master_addr, --master_port)",
      rank_, DescribeEndpoint(ctx_, master_addr_, master_port_));
}

void StaticRendezvous::Abandon() {
  life_.Abandon();
}

void StaticRendezvous::ProcessEnded() {
  life_.Abandon();
  if (store_) store_->StopServer(ctx_.agent_id);
}

}  // namespace ptsim::elastic
