#include "fakes/jobset/child_jobs.hpp"

#include <fmt/format.h>

#include <charconv>

namespace ptsim {

std::string JobFinishedType(const BatchJob& job) {
  for (const auto& c : job.status.conditions) {
    if ((c.type == "Complete" || c.type == "Failed") && c.status == "True") return c.type;
  }
  return "";
}

ChildJobs ClassifyChildJobs(const JobSet& js, const std::vector<BatchJobPtr>& owned,
                            std::string* error) {
  ChildJobs out;
  for (const auto& job : owned) {
    const auto it = job->metadata.labels.find(kRestartsKey);
    const std::string value = it == job->metadata.labels.end() ? "" : it->second;
    int attempt = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), attempt);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
      out.previous.push_back(job);
      if (error && error->empty()) {
        *error = fmt::format("Job {}: label {} is {:?}, not a number", job->metadata.name,
                             kRestartsKey, value);
      }
      continue;
    }
    if (attempt < js.status.restarts) {
      out.previous.push_back(job);
      continue;
    }
    const std::string finished = JobFinishedType(*job);
    if (finished.empty()) {
      out.active.push_back(job);
    } else if (finished == "Failed") {
      out.failed.push_back(job);
    } else {
      out.successful.push_back(job);
    }
  }
  return out;
}

const BatchJobCondition* FindJobFailureCondition(const BatchJob& job) {
  for (const auto& c : job.status.conditions)
    if (c.type == "Failed" && c.status == "True") return &c;
  return nullptr;
}

BatchJobPtr FindFirstFailedJob(const std::vector<BatchJobPtr>& failed) {
  BatchJobPtr first;
  Time first_time{};
  for (const auto& job : failed) {
    const auto* cond = FindJobFailureCondition(*job);
    if (!cond) continue;
    if (!first || cond->last_transition_time < first_time) {
      first = job;
      first_time = cond->last_transition_time;
    }
  }
  return first;
}

std::string MessageWithFirstFailedJob(const std::string& message, const std::string& job) {
  return fmt::format("{} (first failed job: {})", message, job);
}

}  // namespace ptsim
