#include "tests/fakes/jobset/jobset_test_support.hpp"

namespace ptsim::testing {

ReplicatedJob MakeReplicatedJob(const std::string& name, std::int32_t replicas) {
  ReplicatedJob r;
  r.name = name;
  r.replicas = replicas;
  Container c;
  c.name = "test";
  c.image = "bash:latest";
  r.template_.spec.template_.spec.containers.push_back(c);
  return r;
}

JobSet MakeJobSet(const std::string& name, const std::string& ns) {
  JobSet js;
  js.metadata.name = name;
  js.metadata.namespace_ = ns;
  js.metadata.uid = name + "-uid";
  return js;
}

BatchJob MakeJob(const std::string& name, const std::string& rjob, int attempt) {
  BatchJob job;
  job.metadata.name = name;
  job.metadata.namespace_ = "default";
  if (!rjob.empty()) job.metadata.labels[kReplicatedJobNameKey] = rjob;
  job.metadata.labels[kRestartsKey] = std::to_string(attempt);
  return job;
}

BatchJobPtr Finished(BatchJob job, const std::string& type, Time at, const std::string& reason,
                     const std::string& message) {
  BatchJobCondition c;
  c.type = type;
  c.status = "True";
  c.reason = reason;
  c.message = message;
  c.last_transition_time = at;
  job.status.conditions.push_back(c);
  return std::make_shared<const BatchJob>(std::move(job));
}

BatchJobPtr Ptr(BatchJob job) {
  return std::make_shared<const BatchJob>(std::move(job));
}

}  // namespace ptsim::testing
