// The decoders of the expectation kinds, one per file under expectations/
// (a family of kinds shares a file); registry.cpp maps scenario keys to
// them. Loading thread only.
#pragma once

#include <memory>

#include "sim/harness/expectations/expectation_input.hpp"

namespace ptsim::expectations {

std::unique_ptr<Expectation> DecodeFinalCondition(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeConditions(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeNeverCondition(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeRestartCount(ExpectationInput& in);
std::unique_ptr<Expectation> DecodePodsExist(ExpectationInput& in);        // object_presence.cpp
std::unique_ptr<Expectation> DecodePodsDeleted(ExpectationInput& in);      // object_presence.cpp
std::unique_ptr<Expectation> DecodeServicesExist(ExpectationInput& in);    // object_presence.cpp
std::unique_ptr<Expectation> DecodeServicesDeleted(ExpectationInput& in);  // object_presence.cpp
std::unique_ptr<Expectation> DecodeJobDeleted(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeEvent(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeEnv(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeDuration(ExpectationInput& in);
std::unique_ptr<Expectation> DecodePodPhase(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeOutcome(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeNote(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeFlytePhase(ExpectationInput& in);  // flyte_task.cpp
std::unique_ptr<Expectation> DecodeFlyte(ExpectationInput& in);       // flyte_task.cpp
std::unique_ptr<Expectation> DecodeTermination(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeLog(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeFault(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeFile(ExpectationInput& in);
std::unique_ptr<Expectation> DecodeReport(ExpectationInput& in);  // report_value.cpp

}  // namespace ptsim::expectations
