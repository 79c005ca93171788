// Records what a run did, for the reports: every pod ever created (a
// recreated pod is a separate entry, keyed by uid) with its final state and
// every container incarnation ("runs"), every service, and every job of every
// kind in JobKinds() (job_kind.hpp) with its condition history. It watches
// the API server and listens to the kubelets. Loop thread only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/kubelet/kubelet_observer.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/model/hpa.hpp"
#include "sim/model/service.hpp"

namespace ptsim {

struct ContainerRunRecord {
  int restart_count = 0;
  Time started_at{};
  std::optional<Time> finished_at;
  std::optional<int> exit_code;
  int signal = 0;
  std::string reason;
  bool scripted = false;
  int pid = 0;
  std::string log_path;
  bool terminated_by_ptsim = false;  // still alive at the end of the run
  int log_rotations = 0;             // times its log reached containerLogMaxSize
  std::string log_error;             // why its log is cut or missing (full disk); "" when whole
};

struct ContainerRecord {
  std::string name;
  bool init = false;
  std::vector<std::pair<std::string, std::string>> resolved_env;  // of the latest incarnation
  std::vector<std::string> resolved_argv;
  std::vector<ContainerRunRecord> runs;
};

struct PodRecord {
  std::shared_ptr<const Pod> pod;  // the latest state (the last one before deletion)
  std::optional<Time> deleted_at;
  std::vector<ContainerRecord> containers;  // init containers first, in spec order

  ContainerRecord& Container(const std::string& name, bool init);
};

struct ServiceRecord {
  std::shared_ptr<const Service> service;
  std::optional<Time> deleted_at;
};

struct ConditionChange {
  Time time;
  JobCondition condition;
};

struct JobRecord {
  const JobKind* kind = nullptr;
  AnyJob job;  // the latest state
  std::optional<Time> deleted_at;
  std::vector<ConditionChange> history;  // every condition as it was set, in order
};

class RunRecorder final : public KubeletObserver {
 public:
  explicit RunRecorder(ApiServer& api);

  void ContainerStarted(const ContainerIncarnation& inc) override;
  void ContainerExited(const ContainerIncarnation& inc, const ProcessExit& exit,
                       const ContainerStateTerminated& state) override;
  void ContainerLogRotated(const ContainerIncarnation& inc,
                           const std::string& rotated_path) override;
  void ContainerLogError(const ContainerIncarnation& inc, const std::string& message) override;
  // Marks runs that are still going as ended by ptsim at the end of the run.
  void MarkSurvivors(Time now);

  // Pods in creation order.
  const std::vector<std::string>& pod_order() const { return pod_order_; }
  const std::map<std::string, PodRecord>& pods() const { return pods_; }
  const std::vector<std::string>& service_order() const { return service_order_; }
  const std::map<std::string, ServiceRecord>& services() const { return services_; }
  // Jobs of every kind, in creation order.
  const std::vector<std::string>& job_order() const { return job_order_; }
  const std::map<std::string, JobRecord>& jobs() const { return jobs_; }
  const std::vector<std::shared_ptr<const HorizontalPodAutoscaler>>& hpas() const { return hpas_; }

 private:
  void RecordJob(const JobKind& kind, const AnyJob& job, bool deleted, Time now);

  std::vector<std::string> pod_order_;
  std::map<std::string, PodRecord> pods_;  // by uid
  std::vector<std::string> service_order_;
  std::map<std::string, ServiceRecord> services_;  // by uid
  std::vector<std::string> job_order_;
  std::map<std::string, JobRecord> jobs_;  // by uid
  std::vector<std::shared_ptr<const HorizontalPodAutoscaler>> hpas_;
};

}  // namespace ptsim
