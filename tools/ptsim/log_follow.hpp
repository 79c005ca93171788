// `ptsim logs -f`: follows a container's log while another ptsim process is
// still writing the run. It prints what the log holds (or its last --tail
// lines), then polls: new output of the current log file (across rotation),
// the container's next restart, and, unless --incarnation or --pod-uid fixed
// one, the next incarnation of the pod name (a recreated pod). It waits for a
// pod or log that does not exist yet, and ends, after printing everything,
// when the run's report.json appears; or on Ctrl-C (the default action: it
// holds no resources). Notes on stderr say when it moves to another restart
// or incarnation. Single-threaded; polls the files every 100 ms.
#pragma once

#include "tools/ptsim/commands.hpp"
#include "tools/ptsim/object_ref.hpp"
#include "tools/ptsim/run_dir.hpp"

namespace ptsim::cli {

// Returns the exit status: 0 when the run ended, 2 for a target that does not
// exist in a finished run.
int FollowLogs(const RunDir& run, const ObjectRef& target, const LogsOptions& options);

}  // namespace ptsim::cli
