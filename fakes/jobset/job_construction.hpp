// The child Jobs a JobSet's controller stamps from a replicated job
// (pkg/controllers/jobset_controller.go @v0.12.0 constructJobsFromTemplate,
// constructJob, labelAndAnnotateObject): name `<js>-<rjob>-<idx>`, the
// template's labels and annotations plus the jobset.sigs.k8s.io keys on the
// Job and on its pod template, subdomain when DNS hostnames are on, suspend
// = the JobSet's. The controller reference is set at creation. The
// RestartJob gate is off (no job-restart-attempt key); exclusive placement
// and volume claim policies are not modelled. Pure functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "fakes/jobset/child_jobs.hpp"
#include "sim/model/batch_job.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

// REQUIRES: `js` defaulted (sim/model/jobset_defaults.hpp). The Jobs of
// `rjob` not yet owned under their name (`previous` ones included); none
// while a `previous` Job exists under BlockingRecreate.
std::vector<BatchJob> ConstructJobsFromTemplate(const JobSet& js, const ReplicatedJob& rjob,
                                                const ChildJobs& owned);
BatchJob ConstructJob(const JobSet& js, const ReplicatedJob& rjob, int job_index);

// sha1 hex of "<ns>/<job>" (jobHashKey).
std::string JobHashKey(const std::string& ns, const std::string& job);
// `<js>-<rjob>-<jobIndex>-<podIndex>.<subdomain>` (CoordinatorEndpoint).
std::string CoordinatorEndpoint(const JobSet& js);
// spec.network.subdomain when set, else the JobSet's name (GetSubdomain).
std::string JobSetSubdomain(const JobSet& js);
bool DnsHostnamesEnabled(const JobSet& js);

}  // namespace ptsim
