// The one decoder of a fault's fields, whichever way the fault is written (a
// scenario's `faults:` item or a `--fault` flag, through FaultFields): the
// action and its argument, the options, `repeat`, the target and the trigger,
// each checked as docs/scenarios.md#faults says. What needs no field of its
// own — the bounds on times, firings, exit codes and replicas — is left to
// ValidateFaultSpec (fault_spec.hpp), which the callers run next.
// Single-threaded.
#pragma once

#include "sim/harness/fault_spec.hpp"
#include "sim/harness/faults/fault_fields.hpp"

namespace ptsim {

// Reads every field of a fault from `in` into `f`; mistakes go to `in`.
void DecodeFaultFields(FaultFields& in, FaultSpec* f);

}  // namespace ptsim
