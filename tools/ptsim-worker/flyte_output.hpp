// What a ptsim-worker leaves for a Flyte task (docs/flyte.md "Outputs"), so
// scenarios need no Python:
// * --return-value JSON and --deck NAMES: at the end of a run, the worker
//   writes $PTSIM_FLYTE_OUTPUT_DIR/return.json (the task's return value) and
//   $PTSIM_FLYTE_OUTPUT_DIR/decks/<name>.html. In an Elastic task every
//   worker has its own directory and only global rank 0's survive, as only
//   rank 0's ElasticWorkerResult does in flytekit.
// * --crash-exception TYPE and --crash-recoverable: the crash is a Python
//   exception escaping a torch elastic worker. Like torch's @record, the
//   worker writes $TORCHELASTIC_ERROR_FILE ({"message": {"message": "TYPE:
//   ...", "extraInfo": {"py_callstack", "timestamp"}}}); with
//   --crash-recoverable the exception is flytekit's FlyteRecoverableException
//   and, like flytekit's spawn_helper (create_recoverable_error_file), the
//   worker first creates an empty "recoverable_error" file beside the error
//   file, which makes the Flyte task's error recoverable.
// One thread.
#pragma once

#include <cstdint>

#include "tools/ptsim-worker/launch_env.hpp"
#include "tools/ptsim-worker/log.hpp"
#include "tools/ptsim-worker/options.hpp"
#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

inline constexpr char kFlyteOutputDirEnv[] = "PTSIM_FLYTE_OUTPUT_DIR";

// Writes --return-value and --deck at the end of a run (nothing without them).
Status WriteFlyteOutputs(const Options& options, const EnvLookup& env, int rank, std::int64_t steps,
                         double loss);

// Records the crash as an exception (--crash-exception, --crash-recoverable)
// before CrashNow ends the process; nothing for a plain crash.
void RecordCrashException(const Options& options, const EnvLookup& env, const Log& log,
                          std::int64_t step);

}  // namespace ptsim::worker
