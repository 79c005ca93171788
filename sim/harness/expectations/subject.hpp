// Bases of the expectation kinds that are about one job (finalCondition,
// conditions, neverCondition, jobDeleted) or one container (termination,
// log): each holds what it is about and checks, before the run, that the plan
// can create it. Immutable once decoded; any thread.
#pragma once

#include "sim/harness/expectation.hpp"
#include "sim/harness/expectations/job_ref.hpp"
#include "sim/harness/expectations/plan_facts.hpp"
#include "sim/harness/expectations/report_pods.hpp"

namespace ptsim::expectations {

class JobExpectation : public Expectation {
 public:
  JobRef job;

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    ReferenceProblems out;
    CheckJobReference(job, plan, &out);
    return out;
  }
};

class ContainerExpectation : public Expectation {
 public:
  ContainerRef ref;

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    ReferenceProblems out;
    CheckPodName(plan, ref.pod, &out);
    return out;
  }
};

}  // namespace ptsim::expectations
