// Pod networking in host-network mode (fakes/kubelet/host_network.hpp,
// docs/networking.md): addresses, DNS names, env/argv rewriting and the c10d
// store-host hint.
#include "fakes/kubelet/host_network.hpp"

#include <catch2/catch.hpp>

#include "sim/model/service.hpp"
#include "tests/support/fake_cluster.hpp"

namespace ptsim {
namespace {

using Env = std::vector<std::pair<std::string, std::string>>;
using testing::FakeCluster;

// Pods job-worker-0 and job-worker-1, each selected by a headless Service of
// the same name, as the operator creates them; both have addresses.
struct Job {
  Job() {
    for (const std::string name : {"job-worker-0", "job-worker-1"}) {
      cluster.CreatePod("metadata:\n  name: " + name + "\n  labels: {pod: " + name +
                        "}\nspec:\n  containers:\n  - {name: main, image: busybox}\n");
      Service svc;
      svc.metadata.name = name;
      svc.metadata.namespace_ = "default";
      svc.spec.cluster_ip = "None";
      svc.spec.selector = {{"pod", name}};
      REQUIRE(cluster.api.collection<Service>().Create(svc).ok());
      ips[name] = cluster.network.PodIP("default", name);
    }
  }
  FakeCluster cluster;
  std::map<std::string, std::string> ips;
};

TEST_CASE("every pod gets a loopback address, stable by namespace and name") {
  Job job;
  CHECK(job.ips["job-worker-0"] == "127.0.1.1");
  CHECK(job.ips["job-worker-1"] == "127.0.1.2");
  CHECK(job.cluster.network.PodIP("default", "job-worker-0") == "127.0.1.1");
  CHECK(job.cluster.network.PodIP("other", "job-worker-0") == "127.0.1.3");
}

TEST_CASE("service names resolve in every DNS form to the selected pod") {
  Job job;
  auto& net = job.cluster.network;
  for (const char* name : {"job-worker-1", "job-worker-1.default", "job-worker-1.default.svc",
                           "job-worker-1.default.svc.cluster.local"}) {
    INFO(name);
    auto ep = net.Resolve("default", name, false);
    REQUIRE(ep);
    CHECK(ep->pod == "job-worker-1");
    CHECK(ep->ip == "127.0.1.2");
  }
  CHECK_FALSE(net.Resolve("default", "nothing", false));
  CHECK_FALSE(net.Resolve("default", "job-worker-1.a.b", false));
  // Not Running and Ready: a headless Service has no DNS record yet.
  CHECK_FALSE(net.Resolve("default", "job-worker-1", true));
}

// A JobSet's pods: hostname <js>-node-<job>-<index>, subdomain <js>, and the
// headless Service <js> selecting them all by jobset-name.
struct JobSetPods {
  explicit JobSetPods(bool publish_not_ready) {
    for (const std::string host : {"js-node-0-0", "js-node-0-1"}) {
      cluster.CreatePod("metadata:\n  name: " + host +
                        "-x7k2p\n  labels: {jobset.sigs.k8s.io/"
                        "jobset-name: js}\nspec:\n  hostname: " +
                        host +
                        "\n  subdomain: js\n  containers:\n  - {name: main, image: busybox}\n");
      ips[host] = cluster.network.PodIP("default", host + "-x7k2p");
    }
    svc.metadata.name = "js";
    svc.metadata.namespace_ = "default";
    svc.spec.cluster_ip = "None";
    svc.spec.selector = {{"jobset.sigs.k8s.io/jobset-name", "js"}};
    svc.spec.publish_not_ready_addresses = publish_not_ready;
  }
  FakeCluster cluster;
  Service svc;
  std::map<std::string, std::string> ips;
};

TEST_CASE("a pod with hostname and subdomain resolves as hostname.subdomain in every DNS form") {
  JobSetPods pods(true);
  auto& net = pods.cluster.network;
  // No Service named like the subdomain yet: no record.
  CHECK_FALSE(net.Resolve("default", "js-node-0-1.js", false));
  REQUIRE(pods.cluster.api.collection<Service>().Create(pods.svc).ok());
  for (const char* name : {"js-node-0-1.js", "js-node-0-1.js.default", "js-node-0-1.js.default.svc",
                           "js-node-0-1.js.default.svc.cluster.local"}) {
    INFO(name);
    auto ep = net.Resolve("default", name, false);
    REQUIRE(ep);
    CHECK(ep->pod == "js-node-0-1-x7k2p");
    CHECK(ep->ip == pods.ips["js-node-0-1"]);
  }
  CHECK_FALSE(net.Resolve("default", "js-node-0-2.js", false));
  CHECK_FALSE(net.Resolve("other", "js-node-0-1.js", false));
  // publishNotReadyAddresses: resolvable before the pod is ready.
  CHECK(net.Resolve("default", "js-node-0-0.js", true));
  // torchrun's static rendezvous endpoint is rewritten to the pod's address.
  Env env = {{"PET_MASTER_ADDR", "js-node-0-0.js"}, {"PET_RDZV_ENDPOINT", "js-node-0-0.js:29500"}};
  std::vector<std::string> argv;
  net.Rewrite("default", &env, &argv, false);
  CHECK(env[0].second == pods.ips["js-node-0-0"]);
  CHECK(env[1].second == pods.ips["js-node-0-0"] + ":29500");
}

TEST_CASE("a pod record needs a headless Service, and readiness without publishNotReadyAddresses") {
  JobSetPods pods(false);
  auto& net = pods.cluster.network;
  Service clustered = pods.svc;
  clustered.spec.cluster_ip = "10.0.0.1";
  REQUIRE(pods.cluster.api.collection<Service>().Create(clustered).ok());
  CHECK_FALSE(net.Resolve("default", "js-node-0-1.js", false));
  pods.cluster.api.collection<Service>().Remove("default", "js");
  REQUIRE(pods.cluster.api.collection<Service>().Create(pods.svc).ok());
  CHECK(net.Resolve("default", "js-node-0-1.js", false));
  CHECK_FALSE(net.Resolve("default", "js-node-0-1.js", true));
}

TEST_CASE("env values and flags naming services are rewritten and ports remapped") {
  Job job;
  Env env = {{"MASTER_ADDR", "job-worker-0"},
             {"MASTER_PORT", "23456"},
             {"PET_RDZV_ENDPOINT", "job-worker-0:29400"},
             {"HOSTNAME", "job-worker-0"},
             {"OTHER", "not-a-service"}};
  std::vector<std::string> argv = {"train", "--master=job-worker-0", "job-worker-1:80"};
  job.cluster.network.Rewrite("default", &env, &argv, true);
  CHECK(env[0].second == "127.0.1.1");
  CHECK(env[1].second == "41000");  // the sibling MASTER_ADDR names a service
  CHECK(env[2].second == "127.0.1.1:41001");
  CHECK(env[3].second == "job-worker-0");  // HOSTNAME is the pod's name, not an address
  CHECK(env[4].second == "not-a-service");
  CHECK(argv == std::vector<std::string>{"train", "--master=127.0.1.1", "127.0.1.2:41002"});
  // The same declared port of the same pod maps to the same host port.
  Env again = {{"PET_RDZV_ENDPOINT", "job-worker-0:29400"}};
  std::vector<std::string> no_args;
  job.cluster.network.Rewrite("default", &again, &no_args, true);
  CHECK(again[0].second == "127.0.1.1:41001");
}

TEST_CASE("only variables that hold an address by name are rewritten") {
  Job job;
  Env env = {{"MASTER_ADDR", "job-worker-0"}, {"PET_MASTER_ADDR", "job-worker-0"},
             {"PEER_HOST", "job-worker-1"},   {"STORE_ENDPOINT", "job-worker-1:80"},
             {"JOB_NAME", "job-worker-0"},    {"PEERS", "job-worker-1:80"},
             {"HOSTNAME", "job-worker-1"}};
  std::vector<std::string> no_args;
  job.cluster.network.Rewrite("default", &env, &no_args, false);
  CHECK(env == Env{{"MASTER_ADDR", "127.0.1.1"},
                   {"PET_MASTER_ADDR", "127.0.1.1"},
                   {"PEER_HOST", "127.0.1.2"},
                   {"STORE_ENDPOINT", "127.0.1.2:80"},
                   {"JOB_NAME", "job-worker-0"},
                   {"PEERS", "job-worker-1:80"},
                   {"HOSTNAME", "job-worker-1"}});
}

TEST_CASE("downward API values are never rewritten, whatever their name") {
  Job job;
  // Flyte's _F_WN is metadata.name: the pod's name, which is also the name of
  // its Service. A *_ADDR from the downward API is the pod's own data too,
  // and its sibling port is left alone.
  Env env = {{"_F_WN", "job-worker-1"},
             {"POD_ADDR", "job-worker-1"},
             {"POD_PORT", "80"},
             {"MASTER_ADDR", "job-worker-0"},
             {"MASTER_PORT", "23456"}};
  std::vector<std::string> no_args;
  job.cluster.network.Rewrite("default", &env, &no_args, true, {"_F_WN", "POD_ADDR"});
  CHECK(env[0].second == "job-worker-1");
  CHECK(env[1].second == "job-worker-1");
  CHECK(env[2].second == "80");
  CHECK(env[3].second == "127.0.1.1");
  CHECK(env[4].second == "41000");
}

TEST_CASE("only the pod a c10d endpoint names is told to host the store") {
  Job job;
  auto& net = job.cluster.network;
  const Env base = {{"PET_RDZV_BACKEND", "c10d"}, {"PET_RDZV_ENDPOINT", "job-worker-0:29400"}};
  SECTION("no PET_RDZV_CONF yet") {
    Env host = base;
    net.AddC10dHostHint("default", "job-worker-0", &host);
    CHECK(host.back() == std::pair<std::string, std::string>{"PET_RDZV_CONF", "is_host=1"});
    Env client = base;
    net.AddC10dHostHint("default", "job-worker-1", &client);
    CHECK(client.back() == std::pair<std::string, std::string>{"PET_RDZV_CONF", "is_host=0"});
  }
  SECTION("the operator's PET_RDZV_CONF (from elasticPolicy.rdzvConf) is extended") {
    Env env = base;
    env.emplace_back("PET_RDZV_CONF", "timeout=60");
    net.AddC10dHostHint("default", "job-worker-1", &env);
    CHECK(env.back().second == "timeout=60,is_host=0");
  }
  SECTION("an is_host the user set is left alone") {
    Env env = base;
    env.emplace_back("PET_RDZV_CONF", "is_host=1");
    net.AddC10dHostHint("default", "job-worker-1", &env);
    CHECK(env.back().second == "is_host=1");
  }
  SECTION("the endpoint's pod need not have an address yet") {
    job.cluster.CreatePod(
        "metadata:\n  name: late-0\n  labels: {pod: late-0}\nspec:\n  containers:\n"
        "  - {name: main, image: busybox}\n");
    Service svc;
    svc.metadata.name = "late-0";
    svc.metadata.namespace_ = "default";
    svc.spec.selector = {{"pod", "late-0"}};
    REQUIRE(job.cluster.api.collection<Service>().Create(svc).ok());
    Env env = {{"PET_RDZV_BACKEND", "c10d"}, {"PET_RDZV_ENDPOINT", "late-0:29400"}};
    net.AddC10dHostHint("default", "job-worker-1", &env);
    CHECK(env.back().second == "is_host=0");
  }
  SECTION("other backends and unresolvable endpoints get nothing") {
    Env etcd = {{"PET_RDZV_BACKEND", "etcd"}, {"PET_RDZV_ENDPOINT", "job-worker-0:29400"}};
    net.AddC10dHostHint("default", "job-worker-0", &etcd);
    CHECK(etcd.size() == 2);
    Env elsewhere = {{"PET_RDZV_BACKEND", "c10d"}, {"PET_RDZV_ENDPOINT", "10.0.0.1:29400"}};
    net.AddC10dHostHint("default", "job-worker-0", &elsewhere);
    CHECK(elsewhere.size() == 2);
  }
}

}  // namespace
}  // namespace ptsim
