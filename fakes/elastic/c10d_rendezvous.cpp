#include "fakes/elastic/c10d_rendezvous.hpp"

#include <fmt/format.h>

#include <ctime>

namespace ptsim::elastic {

namespace {

constexpr std::string_view kApi = "torch.distributed.elastic.rendezvous.api.";
constexpr std::string_view kLogger = "torch.distributed.elastic.rendezvous.dynamic_rendezvous";

bool IsLoopback(const std::string& host) {
  return host.rfind("127.", 0) == 0 || host == "::1" || host == "localhost";
}

}  // namespace

TorchrunError RendezvousConnectionError() {
  return TorchrunError::Exception(
      std::string(kApi) + "RendezvousConnectionError",
      "The connection to the C10d store has failed. See inner exception for details.");
}

C10dRendezvous::C10dRendezvous(AgentContext& ctx, const ElasticLaunchConfig& config)
    : ctx_(ctx), config_(config) {
  settings_.run_id = config.run_id;
  settings_.min_nodes = config.min_nodes;
  settings_.max_nodes = config.max_nodes;
  settings_.timeout = config.timeouts;
  // _NodeDescGenerator: (socket.getfqdn(), os.getpid(), a per-process counter from 0).
  node_ = NodeDesc{ctx.hostname, ctx.pid, 0, ctx.agent_id};
}

C10dRendezvous::~C10dRendezvous() {
  ProcessEnded();
}

bool C10dRendezvous::MatchesMachineHostname(const std::string& host) const {
  // rendezvous/utils.py _matches_machine_hostname: "localhost", a loopback
  // address, or one of this machine's names and addresses. In ptsim a pod's
  // machine is the pod: its hostname and its (loopback) address.
  if (host == "localhost" || host == ctx_.hostname) return true;
  if (!ctx_.address.empty()) return host == ctx_.address || host == "127.0.0.1" || host == "::1";
  return IsLoopback(host);
}

void C10dRendezvous::Create(Created done) {
  if (config_.store_type == "file") {
    store_ = &ctx_.registry->FileStoreAt(config_.store_host);
    epoch_ = store_->epoch();
    auto error = config_.handler_error;
    ctx_.loop->Post(life_.Wrap([done, error] { done(error); }));
    return;
  }
  store_ = &ctx_.registry->TcpStoreAt(config_.store_host, config_.store_port, ctx_.address);
  Connect(std::move(done));
}

void C10dRendezvous::Connect(Created done) {
  // _create_tcp_store: try as server when we are the host, then as a client.
  const bool is_host =
      config_.is_host ? *config_.is_host : MatchesMachineHostname(config_.store_host);
  // c10d's TCPStore has no world size: it registers no client ("init/").
  auto connected = [this, done] {
    epoch_ = store_->epoch();
    done(config_.handler_error);
  };
  if (is_host) {
    if (store_->StartServer(ctx_.agent_id)) {
      std::string error;
      if (ServeStore(ctx_, *store_, config_.store_port, &error)) {
        ctx_.loop->Post(life_.Wrap(connected));
        return;
      }
      // The port is taken by a process outside the simulation: c10d's
      // _create_tcp_store falls back to a client unless is_host was given.
      store_->StopServer(ctx_.agent_id);
      if (config_.is_host) {
        ctx_.loop->Post(life_.Wrap([done] { done(RendezvousConnectionError()); }));
        return;
      }
    } else {
      // The port is taken (another agent hosts it): c10d logs the failed binds.
      ctx_.Log("WARNING: Logging before InitGoogleLogging() is written to STDERR");
      ctx_.Log(GlogLine(
          ctx_, 'W', 426,
          fmt::format("[c10d] The server socket has failed to bind to [::]:{} (errno: 98 - "
                      "Address already in use).",
                      config_.store_port)));
      ctx_.Log(
          GlogLine(ctx_, 'W', 426,
                   fmt::format("[c10d] The server socket has failed to bind to 0.0.0.0:{} (errno: "
                               "98 - Address already in use).",
                               config_.store_port)));
      ctx_.Log(
          GlogLine(ctx_, 'E', 462,
                   "[c10d] The server socket has failed to listen on any local network address."));
      if (config_.is_host) {
        ctx_.loop->Post(life_.Wrap([done] { done(RendezvousConnectionError()); }));
        return;
      }
    }
  }
  TcpStore* s = store_;
  s->Wait(
      0, [s] { return s->serving(); }, config_.read_timeout,
      life_.Wrap([done, connected](TcpStore::WaitEnd end) {
        if (end != TcpStore::WaitEnd::kReady) return done(RendezvousConnectionError());
        connected();
      }));
}

void C10dRendezvous::Sync() {
  // _BackendRendezvousStateHolder.sync, then _sanitize.
  RendezvousState& s = State();
  Sanitize(&s, settings_, ctx_.loop->Now());
  local_round_ = s.round;
  cached_waiting_ = static_cast<int>(s.wait_list.size());
  last_sync_ = ctx_.loop->Now();
}

void C10dRendezvous::NextRendezvous(Joined done) {
  StopHeartbeats();
  auto run = [this, done] {
    const Time deadline = ctx_.loop->Now() + settings_.timeout.join;
    const NodeDesc node = node_;
    RunOp([node](const RendezvousState& s, Time now, Time dl) { return ExitOp(s, node, now, dl); },
          deadline,
          [this, done, deadline, node](std::optional<TorchrunError> error) {
            if (error) return done(*error);
            RunOp([this, node](const RendezvousState& s, Time now,
                               Time dl) { return JoinOp(s, node, settings_, now, dl); },
                  deadline,
                  [this, done](std::optional<TorchrunError> e) {
                    if (e) return done(*e);
                    StartHeartbeats();
                    const RendezvousState& s = State();
                    RendezvousResult r;
                    r.group_rank = s.participants.at(node_);
                    r.group_world_size = static_cast<int>(s.participants.size());
                    // _get_store: PrefixStore("torch.rendezvous.<run_id>.<round>", store).
                    r.store = StoreHandle{
                        store_, epoch_,
                        fmt::format("torch.rendezvous.{}.{}", settings_.run_id, s.round)};
                    done(r);
                  });
          });
  };
  // A small random skew before the first round spreads the agents' attempts.
  if (local_round_ == 0) {
    const Duration skew = Seconds(0.3 * ctx_.random.UniformDouble());
    op_timer_ = ctx_.loop->After(skew, life_.Wrap(run));
  } else {
    ctx_.loop->Post(life_.Wrap(run));
  }
}

void C10dRendezvous::RunOp(OpFn op, Time deadline, OpDone done) {
  Step(std::move(op), deadline, std::move(done));
}

void C10dRendezvous::Step(OpFn op, Time deadline, OpDone done) {
  op_timer_ = {};
  if (!store_->Connected(epoch_)) return done(RendezvousConnectionError());
  Sync();
  const Time now = ctx_.loop->Now();
  const RendezvousAction action = op(State(), now, deadline);
  switch (action) {
    case RendezvousAction::kFinish:
      return done(std::nullopt);
    case RendezvousAction::kErrorClosed:
      return done(TorchrunError::Exception(std::string(kApi) + "RendezvousClosedError", ""));
    case RendezvousAction::kErrorTimeout:
      return done(TorchrunError::Exception(std::string(kApi) + "RendezvousTimeoutError", ""));
    case RendezvousAction::kSync:
      // Poll for state changes once a second.
      op_timer_ =
          ctx_.loop->After(std::chrono::seconds(1),
                           life_.Wrap([this, op, deadline, done] { Step(op, deadline, done); }));
      return;
    default:
      ApplyAction(&State(), action, node_, settings_, now);
      op_timer_ =
          ctx_.loop->Post(life_.Wrap([this, op, deadline, done] { Step(op, deadline, done); }));
      return;
  }
}

std::variant<int, TorchrunError> C10dRendezvous::NumNodesWaiting() {
  if (!store_ || !store_->Connected(epoch_)) return RendezvousConnectionError();
  const Time now = ctx_.loop->Now();
  // cache_duration = 1: a state synced within the last second is served as is.
  if (last_sync_ && *last_sync_ >= now - std::chrono::seconds(1)) return cached_waiting_;
  Sync();
  return cached_waiting_;
}

void C10dRendezvous::Shutdown() {
  StopHeartbeats();
  if (!store_) return;
  if (!store_->Connected(epoch_)) {
    // shutdown() logs a RendezvousError instead of raising it.
    ctx_.Log(
        fmt::format("WARNING:{}:The node '{}' has failed to shutdown the rendezvous '{}' due to "
                    "an error of type RendezvousConnectionError.",
                    kLogger, node_.Repr(), settings_.run_id));
    return;
  }
  // _RendezvousCloseOp: one step suffices when nobody else is writing.
  RendezvousState& s = State();
  const Time now = ctx_.loop->Now();
  ApplyAction(&s, CloseOp(s, now, now + settings_.timeout.close), node_, settings_, now);
}

void C10dRendezvous::StartHeartbeats() {
  StopHeartbeats();
  heartbeat_ = ctx_.loop->After(settings_.keep_alive_interval, life_.Wrap([this] {
    heartbeat_ = {};
    KeepAlive();
    StartHeartbeats();
  }));
}

void C10dRendezvous::StopHeartbeats() {
  ctx_.loop->Cancel(heartbeat_);
}

void C10dRendezvous::KeepAlive() {
  if (!store_->Connected(epoch_)) {
    ctx_.Log(
        fmt::format("WARNING:{}:The node '{}' has failed to send a keep-alive heartbeat to the "
                    "rendezvous '{}' due to an error of type RendezvousConnectionError.",
                    kLogger, node_.Repr(), settings_.run_id));
    return;
  }
  Sync();
  RendezvousState& s = State();
  const Time now = ctx_.loop->Now();
  const RendezvousAction a =
      KeepAliveOp(s, node_, settings_, now, now + settings_.timeout.heartbeat);
  if (a == RendezvousAction::kKeepAlive) ApplyAction(&s, a, node_, settings_, now);
}

std::string C10dRendezvous::WaitDescription() const {
  if (epoch_ == 0) {
    return fmt::format(
        "it waits for the c10d store at {} (--rdzv_endpoint), which the torchrun on the "
        "endpoint's host serves; read_timeout is {}s",
        DescribeEndpoint(ctx_, config_.store_host, config_.store_port),
        std::chrono::duration_cast<std::chrono::seconds>(config_.read_timeout).count());
  }
  const RendezvousState& s = store_->rendezvous(settings_.run_id);
  return fmt::format(
      "it is in round {} of the c10d rendezvous '{}' at {} with {} participant(s) and {} "
      "waiting (nnodes {}:{})",
      s.round, settings_.run_id, DescribeEndpoint(ctx_, config_.store_host, config_.store_port),
      s.participants.size(), s.wait_list.size(), settings_.min_nodes, settings_.max_nodes);
}

void C10dRendezvous::Abandon() {
  life_.Abandon();
  ctx_.loop->Cancel(op_timer_);
}

void C10dRendezvous::ProcessEnded() {
  Abandon();
  StopHeartbeats();
  if (store_) store_->StopServer(ctx_.agent_id);
}

}  // namespace ptsim::elastic
