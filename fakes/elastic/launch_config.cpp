#include "fakes/elastic/launch_config.hpp"

#include <fmt/format.h>

#include <functional>
#include <regex>

#include "fakes/elastic/python_syntax.hpp"
#include "fakes/elastic/rendezvous_endpoint.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim::elastic {

namespace {

constexpr std::string_view kOmpWarning =
    "Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid "
    "your system being overloaded, please further tune the variable for optimal performance in "
    "your application as needed. ";
constexpr std::string_view kStars = "*****************************************";

std::optional<std::string> Config(const ElasticLaunchConfig& c, const std::string& key) {
  for (const auto& [k, v] : c.rdzv_configs)
    if (k == key) return v;
  return std::nullopt;
}

void SetConfig(ElasticLaunchConfig* c, const std::string& key, std::string value) {
  for (auto& [k, v] : c->rdzv_configs) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  c->rdzv_configs.emplace_back(key, std::move(value));
}

// RendezvousParameters.get_as_int.
std::optional<TorchrunError> ConfigInt(const ElasticLaunchConfig& c, const std::string& key,
                                       const std::string& origin,
                                       std::optional<std::int64_t>* out) {
  auto v = Config(c, key);
  if (!v) return std::nullopt;
  auto parsed = PyInt(*v);
  if (!parsed) {
    return TorchrunError::Exception("ValueError",
                                    fmt::format("The rendezvous configuration option '{}' does not "
                                                "represent a valid integer value.",
                                                key))
        .From(origin, key + "=" + *v);
  }
  *out = *parsed;
  return std::nullopt;
}

// launch_agent's checks and the rendezvous handler factory's, in torch's order.
using OriginFn = std::function<std::string(const std::string&)>;

void FinishPlan(LaunchPlan* plan, const LaunchInputs& inputs, const OriginFn& origin) {
  ElasticLaunchConfig& c = *plan->config;
  auto fail = [&](TorchrunError e) { plan->error = std::move(e); };
  // launch_agent: an empty run id gets a random one, with a warning.
  if (c.run_id.empty()) {
    c.run_id = inputs.generated_run_id;
    plan->output.push_back(
        "WARNING:torch.distributed.launcher.api:config has no run_id, generated "
        "a random run_id: " +
        c.run_id);
  }
  // RendezvousParameters.__init__.
  if (c.rdzv_backend.empty()) {
    return fail(TorchrunError::Exception("ValueError",
                                         "The rendezvous backend name must be a non-empty string.")
                    .From(origin("rdzv_backend"), ""));
  }
  if (c.min_nodes < 1) {
    return fail(
        TorchrunError::Exception(
            "ValueError", fmt::format("The minimum number of rendezvous nodes ({}) must be greater "
                                      "than zero.",
                                      c.min_nodes))
            .From(origin("nnodes"), std::to_string(c.min_nodes)));
  }
  if (c.max_nodes < c.min_nodes) {
    return fail(TorchrunError::Exception(
                    "ValueError",
                    fmt::format("The maximum number of rendezvous nodes ({}) must be greater "
                                "than or equal to the minimum number of rendezvous nodes ({}).",
                                c.max_nodes, c.min_nodes))
                    .From(origin("nnodes"), fmt::format("{}:{}", c.min_nodes, c.max_nodes)));
  }
  // _get_addr_and_port: the static backend's master is its endpoint.
  if (c.rdzv_backend == "static") {
    const std::string endpoint(PyStrip(c.rdzv_endpoint));
    if (endpoint.empty()) {
      return fail(TorchrunError::Exception(
          "ValueError",
          "Endpoint is missing in endpoint. Try to add --master_addr and --master_port"));
    }
    if (auto e = ParseRendezvousEndpoint(endpoint, -1, &c.master_addr, &c.master_port))
      return fail(e->From(origin("rdzv_endpoint"), endpoint));
    if (c.master_port == -1) {
      return fail(TorchrunError::Exception(
                      "ValueError", fmt::format("port is missing in endpoint: {}. Try to specify "
                                                "--master_port",
                                                endpoint))
                      .From(origin("rdzv_endpoint"), endpoint));
    }
  }
  // WorkerSpec.__post_init__.
  if (c.nproc_per_node <= 0) {
    TorchrunError e = TorchrunError::Exception("AssertionError", "");
    e.assertion = "assert self.local_world_size > 0";
    return fail(e.From(origin("nproc_per_node"), std::to_string(c.nproc_per_node)));
  }
  if (!(c.monitor_interval > 0)) {
    TorchrunError e = TorchrunError::Exception("AssertionError", "");
    e.assertion = "assert self.monitor_interval > 0";
    return fail(e.From(origin("monitor_interval"), PyFloatRepr(c.monitor_interval)));
  }
  // rendezvous/registry.py: the handler for the backend.
  if (c.rdzv_backend == "static") {
    // static_tcp_rendezvous.create_rdzv_handler.
    if (auto t = Config(c, "timeout")) {
      auto v = PyInt(*t);
      if (!v) {
        return fail(TorchrunError::Exception(
                        "ValueError",
                        fmt::format("invalid literal for int() with base 10: {}", PyStrRepr(*t)))
                        .From(origin("rdzv_conf"), "timeout=" + *t));
      }
      c.static_timeout = std::chrono::seconds(*v);
    }
    if (auto r = Config(c, "rank")) c.node_rank = static_cast<int>(PyInt(*r).value_or(0));
    return;
  }
  if (c.rdzv_backend == "etcd" || c.rdzv_backend == "etcd-v2") {
    return fail(TorchrunError::Exception(
                    "RuntimeError", fmt::format("[ptsim] the '{}' rendezvous backend needs an etcd "
                                                "server, which ptsim does not emulate; use c10d",
                                                c.rdzv_backend))
                    .From(origin("rdzv_backend"), c.rdzv_backend));
  }
  if (c.rdzv_backend != "c10d") {
    return fail(
        TorchrunError::Exception(
            "ValueError", fmt::format("The rendezvous backend '{}' is not registered. Did you "
                                      "forget to call `register`?",
                                      c.rdzv_backend))
            .From(origin("rdzv_backend"), c.rdzv_backend));
  }
  // c10d_rendezvous_backend.create_backend.
  std::string store_type(PyStrip(Config(c, "store_type").value_or("tcp")));
  for (char& ch : store_type)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c.store_type = store_type;
  if (store_type == "file") {
    c.store_host = c.rdzv_endpoint;
  } else if (store_type == "tcp") {
    if (auto e = ParseRendezvousEndpoint(c.rdzv_endpoint, 29400, &c.store_host, &c.store_port))
      return fail(e->From(origin("rdzv_endpoint"), c.rdzv_endpoint));
    if (auto h = Config(c, "is_host")) {
      c.is_host = PyRendezvousBool(*h);
      if (!c.is_host) {
        return fail(TorchrunError::Exception("ValueError",
                                             "The rendezvous configuration option 'is_host' does "
                                             "not represent a valid boolean value.")
                        .From(origin("rdzv_conf"), "is_host=" + *h));
      }
    }
    std::optional<std::int64_t> read_timeout;
    if (auto e = ConfigInt(c, "read_timeout", origin("rdzv_conf"), &read_timeout)) return fail(*e);
    if (read_timeout && *read_timeout <= 0) {
      return fail(
          TorchrunError::Exception("ValueError", "The read timeout must be a positive integer.")
              .From(origin("rdzv_conf"), fmt::format("read_timeout={}", *read_timeout)));
    }
    if (read_timeout) c.read_timeout = std::chrono::seconds(*read_timeout);
  } else {
    return fail(TorchrunError::Exception(
                    "ValueError", "Invalid store type given. Currently only supports file and tcp.")
                    .From(origin("rdzv_conf"), "store_type=" + store_type));
  }
  // dynamic_rendezvous.create_handler: raised only after the store exists.
  auto timeout = [&](const std::string& name, Duration* out) -> bool {
    std::optional<std::int64_t> v;
    if (auto e = ConfigInt(c, name + "_timeout", origin("rdzv_conf"), &v)) {
      c.handler_error = *e;
      return false;
    }
    if (!v) return true;
    if (*v <= 0) {
      c.handler_error = TorchrunError::Exception(
                            "ValueError", fmt::format("The {} timeout ({}) must be positive.", name,
                                                      PyTimedelta(*v)))
                            .From(origin("rdzv_conf"), fmt::format("{}_timeout={}", name, *v));
      return false;
    }
    *out = std::chrono::seconds(*v);
    return true;
  };
  if (timeout("join", &c.timeouts.join) && timeout("last_call", &c.timeouts.last_call)) {
    timeout("close", &c.timeouts.close);
  }
}

// multiprocessing/api.py Std.from_str.
std::optional<TorchrunError> CheckStd(const std::string& value, const std::string& origin) {
  static const std::regex kValue("^[0123]$", kLinearRegex);
  static const std::regex kMapping(R"(^(\d:[0123],)*(\d:[0123])$)", kLinearRegex);
  if (std::regex_search(value, kValue) || std::regex_search(value, kMapping)) return std::nullopt;
  return TorchrunError::Exception(
             "ValueError",
             fmt::format(R"({} does not match: <^[0123]$> or <^(\d:[0123],)*(\d:[0123])$>)", value))
      .From(origin, value);
}

}  // namespace

LaunchPlan PlanFromArgs(const TorchrunCommand& command, const TorchrunArgs& in, const EnvMap& env,
                        const TorchrunProfile& profile, const LaunchInputs& inputs) {
  LaunchPlan plan;
  plan.prog = command.Prog();
  TorchrunArgs args = in;
  auto fail = [&](TorchrunError e) {
    plan.error = std::move(e);
    return plan;
  };
  // launch.py launch(): binaries need --use_env.
  if (command.entry == TorchrunCommand::Entry::kLaunchModule && args.no_python && !args.use_env) {
    return fail(TorchrunError::Exception(
                    "ValueError",
                    "When using the '--no_python' flag, you must also set the '--use_env' flag.")
                    .From(args.Origin("no_python"), "1"));
  }
  // run.py run(): --standalone overrides the rendezvous settings.
  if (args.standalone) {
    args.rdzv_backend = "c10d";
    args.rdzv_endpoint = profile.standalone_endpoint;
    args.rdzv_id = inputs.standalone_run_id;
    args.origin["rdzv_backend"] = args.origin["rdzv_endpoint"] = args.origin["rdzv_id"] =
        args.Origin("standalone");
  }
  // config_from_args: parse_min_max_nnodes.
  ElasticLaunchConfig c;
  {
    const std::string& nnodes = args.nnodes;
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
      auto colon = nnodes.find(':', start);
      parts.push_back(nnodes.substr(start, colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    if (parts.size() > 2) {
      return fail(TorchrunError::Exception(
                      "RuntimeError", fmt::format("nnodes={} is not in \"MIN:MAX\" format", nnodes))
                      .From(args.Origin("nnodes"), nnodes));
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      auto v = PyInt(parts[i]);
      if (!v) {
        return fail(TorchrunError::Exception(
                        "ValueError", fmt::format("invalid literal for int() with base 10: {}",
                                                  PyStrRepr(parts[i])))
                        .From(args.Origin("nnodes"), nnodes));
      }
      (i == 0 ? c.min_nodes : c.max_nodes) = static_cast<int>(*v);
    }
    if (parts.size() == 1) c.max_nodes = c.min_nodes;
  }
  if (!(0 < c.min_nodes && c.min_nodes <= c.max_nodes)) {
    TorchrunError e = TorchrunError::Exception("AssertionError", "");
    e.assertion = "assert 0 < min_nodes <= max_nodes";
    return fail(e.From(args.Origin("nnodes"), args.nnodes));
  }
  if (args.max_restarts < 0) {
    TorchrunError e = TorchrunError::Exception("AssertionError", "");
    e.assertion = "assert args.max_restarts >= 0";
    return fail(e.From(args.Origin("max_restarts"), std::to_string(args.max_restarts)));
  }
  // torch 2's config_from_args warns before the local world size.
  if (profile.version == TorchVersion::kTorch2 && args.rdzv_backend != "static" &&
      args.rdzv_endpoint.empty()) {
    plan.output.push_back(
        "WARNING:torch.distributed.run:master_addr is only used for static rdzv_backend and when "
        "rdzv_endpoint is not specified.");
  }
  // determine_local_world_size.
  if (auto n = PyInt(args.nproc_per_node)) {
    c.nproc_per_node = static_cast<int>(*n);
  } else if (args.nproc_per_node == "cpu" || args.nproc_per_node == "auto") {
    c.nproc_per_node = inputs.cpu_count;  // ptsim has no CUDA: "auto" means the CPUs
  } else if (args.nproc_per_node == "gpu") {
    return fail(TorchrunError::Exception("ValueError", "Cuda is not available.")
                    .From(args.Origin("nproc_per_node"), args.nproc_per_node));
  } else {
    return fail(
        TorchrunError::Exception(
            "ValueError", fmt::format("Unsupported nproc_per_node value: {}", args.nproc_per_node))
            .From(args.Origin("nproc_per_node"), args.nproc_per_node));
  }
  if (env.count("OMP_NUM_THREADS") == 0 && c.nproc_per_node > 1) {
    c.omp_default = true;
    plan.output.push_back("WARNING:torch.distributed.run:");
    plan.output.emplace_back(kStars);
    plan.output.emplace_back(kOmpWarning);
    plan.output.emplace_back(kStars);
  }
  // rendezvous/utils.py _parse_rendezvous_config.
  const std::string conf(PyStrip(args.rdzv_conf));
  if (!conf.empty()) {
    std::size_t start = 0;
    for (;;) {
      auto comma = conf.find(',', start);
      const std::string kv = conf.substr(start, comma - start);
      auto eq = kv.find('=');
      const std::string key(PyStrip(kv.substr(0, eq)));
      if (key.empty()) {
        return fail(
            TorchrunError::Exception("ValueError",
                                     "The rendezvous configuration string must be in format "
                                     "<key1>=<value1>,...,<keyN>=<valueN>.")
                .From(args.Origin("rdzv_conf"), args.rdzv_conf));
      }
      const std::string value =
          eq == std::string::npos ? std::string() : std::string(PyStrip(kv.substr(eq + 1)));
      if (value.empty()) {
        return fail(TorchrunError::Exception(
                        "ValueError", fmt::format("The rendezvous configuration option '{}' must "
                                                  "have a value specified.",
                                                  key))
                        .From(args.Origin("rdzv_conf"), args.rdzv_conf));
      }
      SetConfig(&c, key, value);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (args.rdzv_backend == "static") SetConfig(&c, "rank", std::to_string(args.node_rank));
  c.rdzv_endpoint = (args.rdzv_backend == "static" && args.rdzv_endpoint.empty())
                        ? fmt::format("{}:{}", args.master_addr, args.master_port)
                        : args.rdzv_endpoint;
  c.run_id = args.rdzv_id;
  c.role = args.role;
  c.rdzv_backend = args.rdzv_backend;
  c.max_restarts = static_cast<int>(args.max_restarts);
  c.monitor_interval = args.monitor_interval;
  c.start_method = args.start_method;
  c.log_dir = args.log_dir;
  // LaunchConfig.__post_init__: the rendezvous timeout defaults to 900 s.
  if (!Config(c, "timeout")) SetConfig(&c, "timeout", "900");
  const bool v2 = profile.version == TorchVersion::kTorch2;
  if (v2) {
    // config_from_args: --local-ranks-filter, then the LogsSpecs class.
    if (!args.local_ranks_filter.empty()) {
      std::set<int> ranks;
      bool ok = true;
      std::size_t start = 0;
      for (;;) {
        auto comma = args.local_ranks_filter.find(',', start);
        auto v = PyInt(args.local_ranks_filter.substr(start, comma - start));
        if (!v) ok = false;
        if (v) ranks.insert(static_cast<int>(*v));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      if (!ok) {
        return fail(TorchrunError::Exception("ValueError",
                                             "--local_ranks_filter must be a comma-separated list "
                                             "of integers e.g. --local_ranks_filter=0,1,2")
                        .From(args.Origin("local_ranks_filter"), args.local_ranks_filter));
      }
      c.local_ranks_filter = ranks;
    }
    if (args.logs_specs) {
      // _get_logs_specs_class: no torchrun.logs_specs entry points exist here.
      return fail(TorchrunError::Exception(
                      "ValueError",
                      fmt::format("Could not find entrypoint under 'torchrun.logs_specs[{}]' key",
                                  *args.logs_specs))
                      .From(args.Origin("logs_specs"), *args.logs_specs));
    }
  }
  if (auto e = CheckStd(args.redirects, args.Origin("redirects"))) return fail(*e);
  if (auto e = CheckStd(args.tee, args.Origin("tee"))) return fail(*e);
  c.redirects = args.redirects;
  c.tee = args.tee;
  if (v2) {
    c.duplicate_stdout_filters = args.duplicate_stdout_filters;
    c.duplicate_stderr_filters = args.duplicate_stderr_filters;
    if (auto t = env.find("TORCHELASTIC_LOG_LINE_PREFIX_TEMPLATE"); t != env.end()) {
      c.log_line_prefix_template = t->second;
    }
    c.event_log_handler = args.event_log_handler;
    c.local_addr = args.local_addr;
    c.numa_binding = args.numa_binding;
    c.signals_to_handle = args.signals_to_handle;
    c.virtual_local_rank = args.virtual_local_rank;
    // launch_agent: the flag, else TORCH_ELASTIC_SHUTDOWN_TIMEOUT, else 30 s.
    if (args.shutdown_timeout) {
      c.shutdown_timeout = std::chrono::seconds(*args.shutdown_timeout);
    } else if (auto t = env.find("TORCH_ELASTIC_SHUTDOWN_TIMEOUT"); t != env.end()) {
      auto v = PyInt(t->second);
      if (!v) {
        return fail(TorchrunError::Exception(
                        "ValueError", fmt::format("invalid literal for int() with base 10: {}",
                                                  PyStrRepr(t->second)))
                        .From("TORCH_ELASTIC_SHUTDOWN_TIMEOUT", t->second));
      }
      c.shutdown_timeout = std::chrono::seconds(*v);
    }
  }
  // The command each worker runs.
  std::vector<std::string> cmd_args;
  std::string python = inputs.python_executable;
  if (auto p = env.find("PYTHON_EXEC"); p != env.end()) python = p->second;
  if (args.run_path || !args.no_python) {
    // --run_path runs the script with runpy in a child interpreter; ptsim runs it as `python -u`.
    c.entrypoint = python;
    cmd_args.push_back("-u");
    if (args.module && !args.run_path) cmd_args.push_back("-m");
    cmd_args.push_back(args.training_script);
  } else {
    if (args.module) {
      return fail(TorchrunError::Exception("ValueError",
                                           "Don't use both the '--no_python' flag and the "
                                           "'--module' flag at the same time.")
                      .From(args.Origin("module"), "1"));
    }
    c.entrypoint = args.training_script;
  }
  if (!args.use_env) cmd_args.push_back("--local_rank=${local_rank}");
  for (const auto& a : args.training_script_args)
    cmd_args.push_back(a);
  c.worker_argv.push_back(c.entrypoint);
  c.worker_argv.insert(c.worker_argv.end(), cmd_args.begin(), cmd_args.end());
  // launcher/api.py _get_entrypoint_name.
  if (c.entrypoint == python) {
    c.entrypoint_name.clear();
    for (const auto& a : cmd_args) {
      if (!a.empty() && a[0] != '-') {
        c.entrypoint_name = a;
        break;
      }
    }
  } else {
    c.entrypoint_name = c.entrypoint;
  }
  plan.config = std::move(c);
  FinishPlan(&plan, inputs, [&](const std::string& dest) { return args.Origin(dest); });
  return plan;
}

LaunchPlan PlanTorchrun(const std::vector<std::string>& argv, const EnvMap& env,
                        const TorchrunProfile& profile, const LaunchInputs& inputs) {
  LaunchPlan plan;
  auto command = RecognizeTorchrun(argv);
  if (!command) {
    plan.error = TorchrunError::Exception("ValueError", "[ptsim] not a torchrun command line");
    return plan;
  }
  plan.prog = command->Prog();
  std::vector<std::string> prelude;
  if (command->entry == TorchrunCommand::Entry::kLaunchModule) {
    // launch.py main(): a FutureWarning before anything else.
    prelude = {
        "/usr/lib/python3/dist-packages/torch/distributed/launch.py:180: FutureWarning: The "
        "module torch.distributed.launch is deprecated",
        "and will be removed in future. Use torchrun.",
        "Note that --use_env is set by default in torchrun.",
        "If your script expects `--local_rank` argument to be set, please",
        "change it to read from `os.environ['LOCAL_RANK']` instead. See ",
        "https://pytorch.org/docs/stable/distributed.html#launch-utility for ",
        "further instructions",
        "",
        "  warnings.warn("};
  }
  auto parsed = ParseTorchrunArgs(*command, env, profile);
  if (!parsed.args) {
    plan.error = parsed.error;
    plan.output = prelude;
    return plan;
  }
  plan = PlanFromArgs(*command, *parsed.args, env, profile, inputs);
  plan.output.insert(plan.output.begin(), prelude.begin(), prelude.end());
  return plan;
}

LaunchPlan PlanFlyteElastic(const FlyteElasticValues& values, const EnvMap& env) {
  LaunchPlan plan;
  plan.prog = "pyflyte-execute";
  ElasticLaunchConfig c;
  // kfpytorch task.py: run.parse_min_max_nnodes(str(nnodes)).
  const std::string& nnodes = values.nnodes;
  auto colon = nnodes.find(':');
  if (colon != std::string::npos && nnodes.find(':', colon + 1) != std::string::npos) {
    plan.error = TorchrunError::Exception(
                     "RuntimeError", fmt::format("nnodes={} is not in \"MIN:MAX\" format", nnodes))
                     .From("Elastic.nnodes", nnodes);
    return plan;
  }
  auto min = PyInt(nnodes.substr(0, colon));
  auto max = colon == std::string::npos ? min : PyInt(nnodes.substr(colon + 1));
  if (!min || !max) {
    const std::string bad = !min ? nnodes.substr(0, colon) : nnodes.substr(colon + 1);
    plan.error =
        TorchrunError::Exception(
            "ValueError", fmt::format("invalid literal for int() with base 10: {}", PyStrRepr(bad)))
            .From("Elastic.nnodes", nnodes);
    return plan;
  }
  c.min_nodes = static_cast<int>(*min);
  c.max_nodes = static_cast<int>(*max);
  c.nproc_per_node = values.nproc_per_node;
  c.run_id = values.run_id;
  c.rdzv_backend = "c10d";
  c.rdzv_configs = values.rdzv_configs;
  if (!Config(c, "timeout")) SetConfig(&c, "timeout", "900");
  auto ep = env.find("PET_RDZV_ENDPOINT");
  c.rdzv_endpoint = ep != env.end() ? ep->second : "localhost:0";
  c.max_restarts = values.max_restarts;
  c.monitor_interval = values.monitor_interval;
  c.start_method = values.start_method;
  c.worker_argv = values.worker_argv;
  c.entrypoint = values.worker_argv.empty() ? std::string() : values.worker_argv.front();
  c.entrypoint_name = values.entrypoint_name;
  if (env.count("OMP_NUM_THREADS") == 0 && c.nproc_per_node > 1) c.omp_default = true;
  plan.config = std::move(c);
  LaunchInputs inputs;
  inputs.generated_run_id = values.run_id;
  FinishPlan(&plan, inputs, [](const std::string& dest) {
    if (dest == "nproc_per_node" || dest == "monitor_interval" || dest == "nnodes") {
      return "Elastic." + dest;
    }
    return dest == "rdzv_endpoint" ? std::string("PET_RDZV_ENDPOINT") : "Elastic.rdzv_configs";
  });
  return plan;
}

}  // namespace ptsim::elastic
