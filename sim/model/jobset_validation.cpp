#include "sim/model/jobset_validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <set>

#include "sim/model/dns_name.hpp"
#include "sim/model/pytorchjob_validation.hpp"  // IsDns1035Label

namespace ptsim {
namespace {

constexpr const char* kDns1035MaxLength = "must be no more than 63 characters";
constexpr const char* kGroupNameTooLong =
    ".spec.replicatedJob[].groupName is too long, must be less than 63 characters";
constexpr const char* kJobNameTooLong =
    "JobSet name is too long, job names generated for this JobSet will exceed 63 characters";
constexpr const char* kPodNameTooLong =
    "JobSet name is too long, pod names generated for this JobSet will exceed 63 characters";
constexpr const char* kSubdomainTooLong =
    ".spec.network.subdomain is too long, must be less than 63 characters";
constexpr std::size_t kMaxManagedByLength = 63;

// The job failure reasons a rule may name (batch/v1 JobReason*).
const std::vector<std::string>& ValidOnJobFailureReasons() {
  static const std::vector<std::string> reasons = {"BackoffLimitExceeded", "DeadlineExceeded",
                                                   "FailedIndexes", "MaxFailedIndexesExceeded",
                                                   "PodFailurePolicy"};
  return reasons;
}

FieldError Plain(std::string message) {
  return FieldError{FieldErrorType::kInternal, "<nil>", std::nullopt, std::move(message)};
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$, by hand (rule names are short but
// user-written).
bool MatchesRuleName(const std::string& name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ',' && c != ':')
      return false;
  }
  const char last = name.back();
  return std::isalnum(static_cast<unsigned char>(last)) || last == '_';
}

// validateFailurePolicy.
void ValidateFailurePolicy(const JobSet& js, const std::set<std::string>& rjob_names,
                           std::vector<FieldError>* errs) {
  const auto& policy = *js.spec.failure_policy;
  for (const auto& rule : policy.rules) {
    if (rule.action == "RestartJob" || rule.action == "RestartJobAndIgnoreMaxRestarts") {
      // The RestartJob gate is alpha and off: a critical error, returned alone.
      errs->push_back(
          Plain("RestartJob and RestartJobAndIgnoreMaxRestarts failure policy actions are not "
                "allowed when RestartJob feature gate is disabled"));
      return;
    }
  }
  // Go ranges over a map for the uniqueness check; std::map gives name order.
  std::map<std::string, std::vector<std::size_t>> by_name;
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const auto& rule = policy.rules[i];
    const std::size_t len = rule.name.size();
    if (len < 1 || len > 128) {
      errs->push_back(Plain(fmt::format(
          "invalid failure policy rule name of length {}, the rule name must be at least 1 "
          "characters long and at most 128 characters long",
          len)));
    }
    by_name[rule.name].push_back(i);
    if (!MatchesRuleName(rule.name)) {
      errs->push_back(Plain(fmt::format(
          "invalid failure policy rule name '{}', a failure policy rule name must start with an "
          "alphabetic character, optionally followed by a string of alphanumeric characters or "
          "'_,:', and must end with an alphanumeric character or '_'",
          rule.name)));
    }
    for (const auto& target : rule.target_replicated_jobs) {
      if (!rjob_names.count(target)) {
        errs->push_back(Plain(
            fmt::format("invalid replicatedJob name '{}' in failure policy does not appear in "
                        ".spec.ReplicatedJobs",
                        target)));
      }
    }
    for (const auto& reason : rule.on_job_failure_reasons) {
      if (!Contains(ValidOnJobFailureReasons(), reason)) {
        errs->push_back(Plain(fmt::format(
            "invalid job failure reason '{}' in failure policy is not a recognized job failure "
            "reason",
            reason)));
      }
    }
  }
  for (const auto& [name, indices] : by_name) {
    if (indices.size() < 2) continue;
    // Go prints a []int as [0 1].
    std::string list;
    for (std::size_t i = 0; i < indices.size(); ++i)
      list += (i ? " " : "") + std::to_string(indices[i]);
    errs->push_back(Plain(fmt::format(
        "rule names are not unique, rules with indices [{}] all have the same name '{}'", list,
        name)));
  }
}

// The `"<path>"` form of a replicated job's field.
std::string RJobPath(std::size_t i, const char* child) {
  return fmt::format("spec.replicatedJobs[{}].{}", i, child);
}

}  // namespace

std::string GenJobName(const std::string& jobset, const std::string& rjob, int job_index) {
  return fmt::format("{}-{}-{}", jobset, rjob, job_index);
}

std::string GenPodName(const std::string& jobset, const std::string& rjob,
                       const std::string& job_index, const std::string& pod_index) {
  return fmt::format("{}-{}-{}-{}", jobset, rjob, job_index, pod_index);
}

std::vector<std::string> IsDns1123Subdomain(const std::string& value) {
  std::vector<std::string> errors;
  if (value.size() > 253) errors.push_back("must be no more than 253 characters");
  if (!MatchesDns1123Subdomain(value)) {
    errors.push_back(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  return errors;
}

std::vector<FieldError> ValidateJobSetCreate(const JobSet& js) {
  std::vector<FieldError> errs;
  const auto& spec = js.spec;
  // The InPlaceRestart gate is alpha and off.
  if (spec.failure_policy && spec.failure_policy->restart_strategy == "InPlaceRestart") {
    errs.push_back(
        Plain("InPlaceRestart restart strategy cannot be set when InPlaceRestart feature gate is "
              "disabled"));
  }
  if (!spec.replicated_jobs.empty() && !spec.replicated_jobs[0].depends_on.empty())
    errs.push_back(Plain("DependsOn can't be set for the first ReplicatedJob"));

  if (spec.network && spec.network->subdomain && !spec.network->subdomain->empty()) {
    const std::string& sub = *spec.network->subdomain;
    for (const auto& m : IsDns1123Subdomain(sub))
      errs.push_back(FieldInvalid("spec.network.subdomain", sub, m));
    for (auto m : IsDns1035Label(sub)) {
      if (m.find(kDns1035MaxLength) != std::string::npos) m = kSubdomainTooLong;
      errs.push_back(FieldInvalid("spec.network.subdomain", sub, m));
    }
  }

  if (spec.managed_by) {
    // validation.IsDomainPrefixedPath, then the length.
    const std::string& m = *spec.managed_by;
    if (m.empty()) {
      errs.push_back(FieldRequired("spec.managedBy", ""));
    } else {
      const auto slash = m.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == m.size()) {
        errs.push_back(FieldInvalid("spec.managedBy", m,
                                    "must be a domain-prefixed path (such as \"acme.io/foo\")"));
      } else {
        for (const auto& e : IsDns1123Subdomain(m.substr(0, slash)))
          errs.push_back(FieldInvalid("spec.managedBy", m.substr(0, slash), e));
      }
    }
    if (m.size() > kMaxManagedByLength) {
      errs.push_back(FieldError{FieldErrorType::kTooLong, "spec.managedBy", std::nullopt,
                                fmt::format("may not be more than {} bytes", kMaxManagedByLength)});
    }
  }

  std::set<std::string> rjob_names;
  for (std::size_t i = 0; i < spec.replicated_jobs.size(); ++i) {
    const auto& rjob = spec.replicated_jobs[i];
    rjob_names.insert(rjob.name);
    const std::int32_t replicas = rjob.replicas.value_or(1);
    const std::int64_t parallelism = rjob.template_.spec.parallelism.value_or(1);
    if (parallelism * replicas > std::numeric_limits<std::int32_t>::max()) {
      errs.push_back(Plain(fmt::format(
          "the product of replicas and parallelism must not exceed 2147483647 for replicatedJob "
          "'{}'",
          rjob.name)));
    }
    const std::string group = rjob.group_name.value_or("default");
    for (auto m : IsDns1035Label(group)) {
      if (m.find(kDns1035MaxLength) != std::string::npos) m = kGroupNameTooLong;
      errs.push_back(FieldInvalid(RJobPath(i, "groupName"), group, m));
    }
    // The largest job index gives the longest name.
    const std::string longest_job = GenJobName(js.metadata.name, rjob.name, replicas - 1);
    for (auto m : IsDns1035Label(longest_job)) {
      if (m.find(kDns1035MaxLength) != std::string::npos) m = kJobNameTooLong;
      errs.push_back(FieldInvalid(RJobPath(i, "name"), longest_job, m));
    }
    const auto& job_spec = rjob.template_.spec;
    if (job_spec.completion_mode == "Indexed" && job_spec.completions) {
      // Five characters stand for the random suffix of a pod's name.
      const std::string longest_pod =
          GenPodName(js.metadata.name, rjob.name, std::to_string(replicas - 1),
                     std::to_string(*job_spec.completions - 1)) +
          "-abcde";
      for (auto m : IsDns1035Label(longest_pod)) {
        if (m.find(kDns1035MaxLength) != std::string::npos) m = kPodNameTooLong;
        // Upstream reports the job name as the bad value here too.
        errs.push_back(FieldInvalid(RJobPath(i, "name"), longest_job, m));
      }
    }
    for (const auto& dep : rjob.depends_on) {
      if (!rjob_names.count(dep.name)) {
        errs.push_back(Plain(fmt::format("replicatedJob: {} cannot depend on replicatedJob: {}",
                                         rjob.name, dep.name)));
      }
    }
  }

  if (spec.success_policy) {
    for (const auto& target : spec.success_policy->target_replicated_jobs) {
      if (!rjob_names.count(target)) {
        errs.push_back(Plain(fmt::format(
            "invalid replicatedJob name '{}' does not appear in .spec.ReplicatedJobs", target)));
      }
    }
  }
  if (spec.failure_policy) ValidateFailurePolicy(js, rjob_names, &errs);

  if (spec.coordinator) {
    // validateCoordinator: the first failing check.
    const auto& c = *spec.coordinator;
    const ReplicatedJob* rjob = nullptr;
    for (const auto& r : spec.replicated_jobs)
      if (r.name == c.replicated_job && !rjob) rjob = &r;
    if (!rjob) {
      errs.push_back(
          Plain(fmt::format("coordinator replicatedJob {} does not exist", c.replicated_job)));
    } else if (c.job_index < 0 || c.job_index >= rjob->replicas.value_or(1)) {
      errs.push_back(Plain(fmt::format("coordinator job index {} is invalid for replicatedJob {}",
                                       c.job_index, rjob->name)));
    } else if (rjob->template_.spec.completion_mode != "Indexed" ||
               !rjob->template_.spec.completions) {
      errs.push_back(
          Plain("job for coordinator pod must be indexed completion mode, and completions number "
                "must be set"));
    } else if (c.pod_index < 0 || c.pod_index >= *rjob->template_.spec.completions) {
      errs.push_back(
          Plain(fmt::format("coordinator pod index {} is invalid for replicatedJob {} job index {}",
                            c.pod_index, c.replicated_job, c.job_index)));
    }
  }
  return errs;
}

namespace {

bool SameContainers(const std::vector<Container>& a, const std::vector<Container>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].image != b[i].image || a[i].command != b[i].command ||
        a[i].args != b[i].args)
      return false;
  }
  return true;
}

// The compared part of a replicated job; `mutable_pod_meta`: the fields
// mutable while suspended are left out.
bool SameReplicatedJob(const ReplicatedJob& a, const ReplicatedJob& b, bool mutable_pod_meta) {
  const auto& ja = a.template_.spec;
  const auto& jb = b.template_.spec;
  auto same_deps = [](const std::vector<DependsOn>& x, const std::vector<DependsOn>& y) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (x[i].name != y[i].name || x[i].status != y[i].status) return false;
    return true;
  };
  const auto& pa = ja.template_;
  const auto& pb = jb.template_;
  const bool pod_meta_same =
      mutable_pod_meta || (pa.metadata.labels == pb.metadata.labels &&
                           pa.metadata.annotations == pb.metadata.annotations &&
                           pa.spec.node_selector == pb.spec.node_selector);
  return a.name == b.name && a.group_name == b.group_name && a.replicas == b.replicas &&
         same_deps(a.depends_on, b.depends_on) && ja.parallelism == jb.parallelism &&
         ja.completions == jb.completions && ja.completion_mode == jb.completion_mode &&
         ja.backoff_limit == jb.backoff_limit &&
         ja.active_deadline_seconds == jb.active_deadline_seconds && ja.suspend == jb.suspend &&
         a.template_.metadata.labels == b.template_.metadata.labels &&
         a.template_.metadata.annotations == b.template_.metadata.annotations &&
         pa.spec.restart_policy == pb.spec.restart_policy && pa.spec.hostname == pb.spec.hostname &&
         pa.spec.subdomain == pb.spec.subdomain &&
         SameContainers(pa.spec.containers, pb.spec.containers) &&
         SameContainers(pa.spec.init_containers, pb.spec.init_containers) && pod_meta_same;
}

}  // namespace

std::vector<FieldError> ValidateJobSetUpdate(const JobSet& old_js, const JobSet& new_js) {
  std::vector<FieldError> errs;
  const bool suspended = old_js.spec.suspend.value_or(false) || new_js.spec.suspend.value_or(false);
  const auto& a = old_js.spec.replicated_jobs;
  const auto& b = new_js.spec.replicated_jobs;
  bool same = a.size() == b.size();
  for (std::size_t i = 0; same && i < a.size(); ++i)
    same = SameReplicatedJob(a[i], b[i], suspended);
  if (!same) {
    errs.push_back(
        FieldInvalid("spec.replicatedJobs", "[]v1alpha2.ReplicatedJob{...}", "field is immutable"));
  }
  if (old_js.spec.managed_by != new_js.spec.managed_by) {
    errs.push_back(FieldInvalid("spec.managedBy", new_js.spec.managed_by, "field is immutable"));
  }
  return errs;
}

std::string JobSetInvalidMessage(const std::string& name, const std::vector<FieldError>& errors) {
  if (errors.empty()) return "";
  return fmt::format("JobSet.jobset.x-k8s.io \"{}\" is invalid: {}", name,
                     AggregateFieldErrors(errors));
}

}  // namespace ptsim
