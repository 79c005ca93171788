// What torch's agent adds around a worker group beyond ranks and addresses,
// for the emulated agent:
//  - the signals it turns into SignalException: SIGTERM, SIGINT, SIGHUP and
//    SIGQUIT, or torch 2's --signals-to-handle list (launch_agent exports it
//    as TORCHELASTIC_SIGNALS_TO_HANDLE; PContext.start registers each name,
//    warning "Failed to register signal handler for X" for an unknown one);
//  - the worker status events torch 2 records at the end of the run to
//    --event-log-handler (agent/server/api.py _record_worker_events, events/
//    handlers.py: "console" prints each event's JSON, "null" and
//    "dynamic_rendezvous" drop them, any other name raises KeyError);
//  - the worker environment extras: TORCHELASTIC_TIMER_FILE when
//    TORCHELASTIC_ENABLE_FILE_TIMER=1 (local_elastic_agent._setup_local_watchdog),
//    and torch 2's --virtual-local-rank (LOCAL_RANK 0, CUDA_VISIBLE_DEVICES
//    the rank's device).
// Pure functions; any thread.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "fakes/elastic/child_failure.hpp"
#include "fakes/elastic/rank_assignment.hpp"
#include "fakes/elastic/torchrun_error.hpp"

namespace ptsim::elastic {

// The signals in a comma-separated list of names ("SIGTERM,SIGUSR1"); the
// warning lines torch logs for names the signal module lacks go to `warnings`.
std::set<int> HandledSignals(const std::string& list, std::vector<std::string>* warnings);

struct WorkerEventContext {
  std::string run_id;
  std::string role;
  std::string hostname;
  std::string rdzv_backend;
  std::string entrypoint_name;
  int group_rank = 0;
  int group_world_size = 1;
  int restart_count = 0;
  double total_run_time = 0;
};

// The event lines `handler` prints for the last worker group: one per worker,
// SUCCEEDED, FAILED (a failure) or TERMINATED (stopped because another failed).
// An unknown handler is torch's KeyError.
std::variant<std::vector<std::string>, TorchrunError> WorkerEventLines(
    const std::string& handler, const WorkerEventContext& context,
    const std::vector<WorkerRanks>& workers, const std::map<int, int>& pids_by_local_rank,
    const std::map<int, ProcessFailure>& failures_by_global_rank);

// LocalElasticAgent._set_local_rank_env under --virtual-local-rank: LOCAL_RANK
// 0 and CUDA_VISIBLE_DEVICES the rank's entry of the agent's list (or the
// local rank). A ValueError when the list is too short.
std::variant<std::vector<std::pair<std::string, std::string>>, TorchrunError> VirtualLocalRankEnv(
    const std::map<std::string, std::string>& agent_env, int local_rank);

}  // namespace ptsim::elastic
