// Defaulting of batch/v1 Jobs as the API server applies it on create
// (SetDefaults_Job, pkg/apis/batch/v1/defaults.go, Kubernetes 1.33–1.35) and
// the selector the Job registry strategy generates (generateSelector,
// pkg/registry/batch/job/strategy.go). Pure functions; any thread.
#pragma once

#include "sim/model/batch_job.hpp"

namespace ptsim {

// In upstream order:
//  - completions and parallelism 1 when both are unset, parallelism 1 when unset;
//  - backoffLimit 6, or MaxInt32 when backoffLimitPerIndex is set;
//  - metadata.labels from the template's labels when the Job has none;
//  - completionMode NonIndexed, suspend false;
//  - podReplacementPolicy Failed with a podFailurePolicy, else TerminatingOrFailed.
BatchJob SetDefaults_Job(const BatchJob& job);  // NOLINT(readability-identifier-naming)
// The spec part of SetDefaults_Job (what a JobSet's job template gets).
void SetDefaults_JobSpec(JobSpec* spec);  // NOLINT(readability-identifier-naming)

// generateSelector: unless spec.manualSelector is true, the template gets the
// labels controller-uid, job-name, batch.kubernetes.io/controller-uid and
// batch.kubernetes.io/job-name (those it lacks), and spec.selector becomes
// matchLabels {batch.kubernetes.io/controller-uid: <uid>} when unset.
// REQUIRES: metadata.uid is set.
void GenerateJobSelector(BatchJob* job);

}  // namespace ptsim
