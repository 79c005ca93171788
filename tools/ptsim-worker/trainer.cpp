#include "tools/ptsim-worker/trainer.hpp"

#include <fmt/format.h>

#include <optional>
#include <thread>

#include "tools/ptsim-worker/checkpoint.hpp"
#include "tools/ptsim-worker/faults.hpp"
#include "tools/ptsim-worker/flyte_output.hpp"
#include "tools/ptsim-worker/log.hpp"
#include "tools/ptsim-worker/model.hpp"
#include "tools/ptsim-worker/process_group.hpp"
#include "tools/ptsim-worker/result_file.hpp"

namespace ptsim::worker {
namespace {

constexpr int kMaxPort = 65535;

// Rank 0's starting state: the newest valid checkpoint in --checkpoint-dir, or
// the fixed initial parameters. Other ranks get theirs from rank 0.
Result<Welcome> LoadStartingState(const Options& options, int rank, const Log& log) {
  Welcome state{0, false, TrainingState{}.loss, InitialParams(options.dim)};
  if (rank != 0 || options.checkpoint_dir.empty()) return state;
  auto scan = FindLatestCheckpoint(options.checkpoint_dir, options.dim);
  if (!scan) return Error{scan.error()};
  for (const std::string& skipped : scan.value().skipped) {
    log.Error(fmt::format("skipping invalid checkpoint {}", skipped));
  }
  if (const auto& latest = scan.value().latest) {
    state = Welcome{latest->state.step, true, latest->state.loss, latest->state.params};
  }
  return state;
}

void AllocateIfDue(const Options& options, std::int64_t step, MemoryBallast& ballast,
                   const Log& log) {
  if (options.alloc_mib == 0 || options.alloc_at_step != step) return;
  ballast.Allocate(options.alloc_mib);
  log.Line(fmt::format("allocated {} MiB", options.alloc_mib));
}

}  // namespace

int RunTrainer(const Options& options, const LaunchEnv& launch, const EnvLookup& env) {
  const int rank = launch.rank;
  const int world = launch.world_size;
  const Log log(rank);

  // 1. Start-up: delay, memory, the banner.
  if (options.start_delay > Duration::zero()) std::this_thread::sleep_for(options.start_delay);
  MemoryBallast ballast;
  AllocateIfDue(options, 0, ballast, log);
  const int port_offset = options.port_offset.value_or(DefaultPortOffset(launch));
  std::optional<int> port;
  if (launch.master_port) port = *launch.master_port + port_offset;
  if (world > 1 && *port > kMaxPort) {
    log.Error(fmt::format("MASTER_PORT {} + port offset {} is above {}", *launch.master_port,
                          port_offset, kMaxPort));
    return 2;
  }
  log.Line(fmt::format("ptsim-worker rank={} world={} master={}:{} restart_count={}", rank, world,
                       launch.master_addr.empty() ? "-" : launch.master_addr,
                       port ? std::to_string(*port) : "-", launch.restart_count));
  if (options.print_env) {
    for (const std::string& line : RendezvousEnvLines(env))
      log.Line(line);
  }

  // 2. Rank 0's state, the process group, and the broadcast of that state.
  auto initial = LoadStartingState(options, rank, log);
  if (!initial) {
    log.Error(initial.error());
    return 1;
  }
  GroupConfig config{
      Hello{rank, world, options.dim, options.steps, options.lr},
      launch.master_addr,
      port.value_or(0),
      options.connect_timeout,
      options.peer_timeout,
  };
  auto group = ProcessGroup::Form(config, log);
  if (!group) {
    log.Error(group.error());
    return 1;
  }
  auto start = group.value().Broadcast(initial.value());
  if (!start) {
    log.Error(start.error());
    return 1;
  }
  const bool resumed = start.value().resumed;
  TrainingState state{start.value().start_step, start.value().loss, start.value().params};
  if (resumed) log.Line(fmt::format("resumed from step {}", state.step));

  // 3. The steps.
  for (std::int64_t step = state.step + 1; step <= options.steps; ++step) {
    AllocateIfDue(options, step, ballast, log);
    if (ShouldHang(options, rank, step)) {
      log.Line(fmt::format("hanging at step {}", step));
      HangForever();
    }
    if (ShouldCrash(options, rank, step, resumed)) {
      RecordCrashException(options, env, log, step);
      CrashNow(options, log, step);
    }

    LossAndGradient local = ComputeLossAndGradient(state.params, step, rank);
    auto reduced = group.value().AllReduce(StepValues{step, local.loss, std::move(local.gradient)});
    if (!reduced) {
      log.Error(reduced.error());
      return 1;
    }
    SgdUpdate(state.params, reduced.value().values, options.lr);
    state.step = step;
    state.loss = reduced.value().loss;
    log.Line(fmt::format("step {} loss {}", step, state.loss));

    if (rank == 0 && !options.checkpoint_dir.empty() &&
        (step % options.checkpoint_every == 0 || step == options.steps)) {
      auto path = SaveCheckpoint(options.checkpoint_dir, state, world);
      if (!path) {
        log.Error(path.error());
        return 1;
      }
      log.Line(fmt::format("checkpoint step={} path={}", step, path.value()));
    }
    if (step < options.steps && options.step_time > Duration::zero()) {
      std::this_thread::sleep_for(options.step_time);
    }
  }

  // 4. The end.
  if (rank == 0 && !options.result_file.empty()) {
    std::optional<std::int64_t> resumed_from;
    if (resumed) resumed_from = start.value().start_step;
    Status written = WriteResultFile(
        options.result_file, RunSummary{state.step, world, state.loss, state.params, resumed_from});
    if (!written) {
      log.Error(written.error());
      return 1;
    }
  }
  if (Status written = WriteFlyteOutputs(options, env, rank, state.step, state.loss); !written) {
    log.Error(written.error());
    return 1;
  }
  log.Line(fmt::format("done steps={} loss={}", state.step, state.loss));
  return 0;
}

}  // namespace ptsim::worker
