// A JobSet's failure policy (pkg/controllers/failure_policy.go @v0.12.0),
// run when a reconcile finds a failed child Job: without a failurePolicy the
// JobSet fails (FailedJobs); otherwise the first rule that matches some
// failed Job wins, applied to the earliest-failed matching Job, and with no
// match the action is RestartJobSet on the earliest-failed Job. The
// RestartJob gate is off, so RestartJob and RestartJobAndIgnoreMaxRestarts
// return an error (the webhook rejects them anyway). Pure functions on a
// JobSet the caller owns; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fakes/jobset/child_jobs.hpp"
#include "fakes/jobset/jobset_conditions.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

// ruleIsApplicable: the Job's failure reason is in onJobFailureReasons
// (empty: any), some onJobFailureMessagePatterns matches its message (RE2,
// unanchored; empty: any; a pattern that does not compile is skipped), and
// its replicated job (label) is in targetReplicatedJobs (empty: any; a Job
// without the label never matches).
bool FailurePolicyRuleIsApplicable(const FailurePolicyRule& rule, const BatchJob& failed_job,
                                   const std::string& reason, const std::string& message);

struct RuleAndJob {
  const FailurePolicyRule* rule = nullptr;  // into the rules given; null: no match
  BatchJobPtr job;
};
// findFirstFailedPolicyRuleAndJob.
RuleAndJob FindFirstFailedPolicyRuleAndJob(const std::vector<FailurePolicyRule>& rules,
                                           const std::vector<BatchJobPtr>& failed);

// applyFailurePolicyRuleAction: `action` applied for `job` under `rule`
// (null: the default action). "" or the error (unknown action, gate off).
std::string ApplyFailurePolicyRuleAction(JobSet* js, const BatchJob& job,
                                         const FailurePolicyRule* rule, const std::string& action,
                                         Time now, StatusUpdate* update);

// executeFailurePolicy. REQUIRES: `failed` not empty.
std::string ExecuteFailurePolicy(JobSet* js, const std::vector<BatchJobPtr>& failed, Time now,
                                 StatusUpdate* update);

}  // namespace ptsim
