#include "tools/ptsim/run_command_line.hpp"

#include <string>

namespace ptsim::cli {

CLI::App* AddRunCommand(CLI::App& app, RunOptions* run) {
  CLI::App* run_cmd = app.add_subcommand(
      "run",
      "Run each FILE (a Pod manifest or List, a PyTorchJob manifest, a scenario, or a Flyte "
      "task) to completion and report. Exit status: 0 all passed, 1 an expectation failed "
      "or a run did not finish, 2 invalid input (nothing is run).");
  run_cmd->add_option("FILE", run->files, "Input files (YAML or JSON)")->required();
  run_cmd->add_option("--json", run->json_path, "Write the JSON report to PATH");
  run_cmd
      ->add_option("--runs-dir", run->runs_dir,
                   "Where run directories (logs, reports, volumes) go; each run uses "
                   "<runs-dir>/<name>")
      ->capture_default_str();
  run_cmd->add_option(
      "--timeout", run->timeout,
      "Bound each run in virtual time (90s, 10m, 1h); default 1h or the scenario's");
  run_cmd->add_option("--operator-version", run->operator_version,
                      "Training-operator release to emulate: any of v1.7.0, v1.8.0, v1.8.1, "
                      "v1.9.0-v1.9.4 (default v1.9.4; a release without a profile of its own "
                      "behaves as the profile that matches it, and ptsim says which), or fixed "
                      "(v1.9.4 with its known bugs corrected)");
  run_cmd->add_option("--trainer-version", run->trainer_version,
                      "Kubeflow Trainer release the TrainJob controller emulates: v2.3.0 "
                      "(default) or fixed (kubeflow/trainer#3891: a failed TrainJob is not "
                      "rebuilt when its JobSet is gone)");
  run_cmd->add_option(
      "--image", run->images,
      "Map an image (repeatable): 'REF={run: [CMD, ARG...]}', or entrypoint, cmd, env, "
      "workingDir, script, as in a scenario's images (docs/scenarios.md); relative paths are "
      "relative to the current directory");
  run_cmd->add_option("--images", run->image_files,
                      "Read image mappings from a YAML file holding `images:` (repeatable); "
                      "paths in it are relative to the file");
  run_cmd->add_option(
      "--allow-host-path", run->allowed_host_paths,
      "Let hostPath volumes name PREFIX and below (repeatable); without it only the input "
      "file's directory and the runs directory may be named (docs/volumes.md)");
  run_cmd->add_option("--torchrun", run->torchrun,
                      "How torchrun commands in containers run: auto (default: the emulated "
                      "elastic agent where real torchrun cannot run here), emulate (always), or "
                      "real (never emulate)");
  run_cmd->add_option("--torch-version", run->torch_version,
                      "The torchrun the emulation follows: 1.13 (default) or 2");
  run_cmd->add_option("--seed", run->seed, "Seed for all randomness (default 1 or the scenario's)");
  run_cmd->add_option(
      "--fault", run->faults,
      "Inject a fault (repeatable): ACTION[:ARG]@TARGET[/CONTAINER]@TRIGGER[,OPTION=VALUE...], "
      "e.g. kill:SIGKILL@Worker-1@log=step 50 (docs/scenarios.md)");
  run_cmd->add_option("--junit", run->junit_path,
                      "Write a JUnit XML report (one test case per run) to PATH");
  run_cmd->add_option("--html", run->html_path, "Write a self-contained HTML report to PATH");
  run_cmd->add_option("-j,--jobs", run->jobs, "Run up to N files in parallel (each isolated)")
      ->capture_default_str();
  run_cmd
      ->add_option("--repeat", run->repeat,
                   "Run each file N times and report whether the outcomes (and, for scripted "
                   "runs, the traces) were identical")
      ->capture_default_str();
  run_cmd
      ->add_option("--container-log-max-size", run->container_log_max_size,
                   "Rotate a container's log when it reaches this size, as the kubelet's "
                   "containerLogMaxSize (a quantity: 10Mi, 512Ki)")
      ->capture_default_str();
  run_cmd
      ->add_option("--container-log-max-files", run->container_log_max_files,
                   "Keep at most this many log files per container, the current one included, "
                   "as the kubelet's containerLogMaxFiles (at least 2)")
      ->capture_default_str();
  run_cmd->add_flag("--no-timeline", run->no_timeline, "Do not print the timeline as the run goes");
  run_cmd->add_flag("-q,--quiet", run->quiet,
                    "Print only the pre-flight errors and warnings, and for a failed run the "
                    "expectations that failed and its verdict");
  run_cmd->add_flag("--trace", run->print_trace, "Print the full event trace of each run");
  return run_cmd;
}

}  // namespace ptsim::cli
