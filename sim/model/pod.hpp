// core/v1 Pod, with the fields ptsim simulates. Field names follow the
// Kubernetes API (snake_case here, camelCase on the wire); timestamps are
// virtual time.
//
// Spec fields are written by clients; status fields only by the kubelet and the
// scheduler through the API server (fakes/apiserver). Plain data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/object_meta.hpp"
#include "sim/model/quantity.hpp"

namespace ptsim {

// env[].valueFrom.fieldRef / resourceFieldRef (the downward API). ConfigMap and
// Secret references are rejected at parse time: ptsim has no such objects.
struct EnvVarSource {
  std::string field_path;      // fieldRef.fieldPath, e.g. "metadata.name"
  std::string resource;        // resourceFieldRef.resource, e.g. "limits.memory"
  std::string container_name;  // resourceFieldRef.containerName
  std::optional<Quantity> divisor;
};

struct EnvVar {
  std::string name;
  std::string value;
  std::optional<EnvVarSource> value_from;
};

struct ContainerPort {
  std::string name;
  std::int32_t container_port = 0;
  std::string protocol;  // empty means TCP
  std::int32_t host_port = 0;
};

struct ResourceRequirements {
  ResourceList limits;
  ResourceList requests;
};

struct VolumeMount {
  std::string name;
  std::string mount_path;
  std::string sub_path;
  bool read_only = false;
};

struct Container {
  std::string name;
  std::string image;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::string working_dir;
  std::vector<ContainerPort> ports;
  std::vector<EnvVar> env;
  ResourceRequirements resources;
  std::vector<VolumeMount> volume_mounts;
  std::string image_pull_policy;
  std::string restart_policy;  // init containers only: "Always" makes a sidecar (not simulated)
};

struct Volume {
  enum class Kind { kEmptyDir, kPersistentVolumeClaim, kHostPath };
  std::string name;
  Kind kind = Kind::kEmptyDir;
  std::string medium;      // emptyDir.medium ("" or "Memory")
  std::string claim_name;  // persistentVolumeClaim.claimName
  std::string path;        // hostPath.path
  bool read_only = false;
};

struct Toleration {
  std::string key;
  std::string op;  // "Equal" (default) or "Exists"
  std::string value;
  std::string effect;  // empty matches every effect
  std::optional<std::int64_t> toleration_seconds;
};

struct PodSpec {
  std::vector<Container> init_containers;
  std::vector<Container> containers;
  std::string restart_policy = "Always";
  bool restart_policy_set = false;  // written in the manifest (not defaulted)
  std::optional<std::int64_t> termination_grace_period_seconds;  // nil means 30
  std::optional<std::int64_t> active_deadline_seconds;
  std::string node_name;
  std::map<std::string, std::string> node_selector;
  std::string scheduler_name;
  std::vector<Volume> volumes;
  std::vector<Toleration> tolerations;
  std::string hostname;
  std::string subdomain;
  std::string priority_class_name;
  bool host_network = false;

  std::int64_t GracePeriodSeconds() const { return termination_grace_period_seconds.value_or(30); }
};

struct ContainerStateWaiting {
  std::string reason;
  std::string message;
  bool operator==(const ContainerStateWaiting&) const = default;
};
struct ContainerStateRunning {
  Time started_at{};
  bool operator==(const ContainerStateRunning&) const = default;
};
struct ContainerStateTerminated {
  std::int32_t exit_code = 0;
  std::int32_t signal = 0;
  std::string reason;
  std::string message;
  Time started_at{};
  Time finished_at{};
  bool operator==(const ContainerStateTerminated&) const = default;
};

// Exactly one member is set, as in the API.
struct ContainerState {
  std::optional<ContainerStateWaiting> waiting;
  std::optional<ContainerStateRunning> running;
  std::optional<ContainerStateTerminated> terminated;
  bool empty() const { return !waiting && !running && !terminated; }
  bool operator==(const ContainerState&) const = default;
};

struct ContainerStatus {
  std::string name;
  std::string image;
  ContainerState state;
  ContainerState last_state;
  bool ready = false;
  bool started = false;
  std::int32_t restart_count = 0;
  std::string container_id;
  bool operator==(const ContainerStatus&) const = default;
};

struct PodCondition {
  std::string type;
  std::string status;  // "True", "False", "Unknown"
  std::string reason;
  std::string message;
  Time last_transition_time{};
  bool operator==(const PodCondition&) const = default;
};

struct PodStatus {
  std::string phase = "Pending";
  std::vector<PodCondition> conditions;
  std::string message;
  std::string reason;
  std::string host_ip;
  std::string pod_ip;
  std::optional<Time> start_time;
  std::vector<ContainerStatus> init_container_statuses;
  std::vector<ContainerStatus> container_statuses;

  // Field by field (the kubelet skips status writes that change nothing).
  bool operator==(const PodStatus&) const = default;
  const PodCondition* FindCondition(const std::string& type) const;
  // Sets a condition, keeping lastTransitionTime when the status is unchanged.
  void SetCondition(PodCondition c);
  const ContainerStatus* FindContainerStatus(const std::string& name) const;
};

struct Pod {
  static constexpr const char* kKind = "Pod";
  static constexpr const char* kApiVersion = "v1";
  ObjectMeta metadata;
  PodSpec spec;
  PodStatus status;

  bool IsTerminal() const { return status.phase == "Succeeded" || status.phase == "Failed"; }
  const Container* FindContainer(const std::string& name) const;
};

// Effective requests of a pod as the scheduler computes them: for each
// resource, max(sum over containers, max over init containers); a container
// with a limit but no request requests its limit (API defaulting).
ResourceList EffectiveRequests(const PodSpec& spec);

}  // namespace ptsim
