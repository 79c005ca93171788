// Deletion in the fake API server: finalizers keep a deleted object until an
// update empties them; foreground propagation waits for blocking dependents;
// orphan propagation strips owner references; background stays as it was.
#include <catch2/catch.hpp>

#include "tests/support/fake_cluster.hpp"

namespace ptsim {
namespace {

// A kind of the tests' own: an object with metadata only.
struct Widget {
  static constexpr const char* kKind = "Widget";
  ObjectMeta metadata;
};

struct Gadget {
  static constexpr const char* kKind = "Gadget";
  ObjectMeta metadata;
};

struct Fixture {
  ManualWallClock wall;
  EventLoop loop{wall};
  Trace trace;
  Random random{7};
  ApiServer api{loop, trace, random};

  std::shared_ptr<const Widget> Owner(const std::string& name,
                                      std::vector<std::string> finalizers = {}) {
    Widget w;
    w.metadata.name = name;
    w.metadata.finalizers = std::move(finalizers);
    auto r = api.collection<Widget>().Create(w);
    REQUIRE(r.ok());
    return *r;
  }
  void Dependent(const std::string& name, const Widget& owner, bool block) {
    Gadget g;
    g.metadata.name = name;
    g.metadata.owner_references.push_back(
        {"v1", "Widget", owner.metadata.name, owner.metadata.uid, true, block});
    REQUIRE(api.collection<Gadget>().Create(g).ok());
  }
  void Settle() { loop.Run(loop.Now() + Seconds(1)); }
  auto Widget_(const std::string& n) { return api.collection<Widget>().Get("default", n); }
  auto Gadget_(const std::string& n) { return api.collection<Gadget>().Get("default", n); }
};

TEST_CASE("an object with finalizers is only marked on delete and goes when they are removed") {
  Fixture f;
  f.Owner("w", {"example.com/hold"});
  std::vector<WatchEventType> seen;
  f.api.collection<Widget>().Watch([&](const WatchEvent<Widget>& e) { seen.push_back(e.type); });
  f.api.collection<Widget>().Delete("default", "w");
  f.Settle();
  auto marked = f.Widget_("w");
  REQUIRE(marked);
  CHECK(marked->metadata.deletion_timestamp);
  CHECK(marked->metadata.deletion_grace_period_seconds == 0);
  f.api.collection<Widget>().Mutate("default", "w",
                                    [](Widget& w) { w.metadata.finalizers.clear(); });
  f.Settle();
  CHECK_FALSE(f.Widget_("w"));
  CHECK(seen == std::vector<WatchEventType>{WatchEventType::kModified, WatchEventType::kDeleted});
}

TEST_CASE("removing the finalizers of an object that is not deleted keeps it") {
  Fixture f;
  f.Owner("w", {"example.com/hold"});
  f.api.collection<Widget>().Mutate("default", "w",
                                    [](Widget& w) { w.metadata.finalizers.clear(); });
  f.Settle();
  CHECK(f.Widget_("w"));
}

TEST_CASE("background deletion removes the owner and then its dependents") {
  Fixture f;
  auto owner = f.Owner("w");
  f.Dependent("g", *owner, true);
  f.api.collection<Widget>().Delete("default", "w",
                                    DeleteOptions{std::nullopt, PropagationPolicy::kBackground});
  CHECK_FALSE(f.Widget_("w"));
  CHECK(f.Gadget_("g"));
  f.Settle();
  CHECK_FALSE(f.Gadget_("g"));
}

TEST_CASE("foreground deletion keeps the owner until its blocking dependents are gone") {
  Fixture f;
  auto owner = f.Owner("w");
  f.Dependent("blocking", *owner, true);
  f.Dependent("free", *owner, false);
  // The blocking dependent has a finalizer of its own, so it lingers.
  f.api.collection<Gadget>().Mutate("default", "blocking", [](Gadget& g) {
    g.metadata.finalizers.push_back("example.com/hold");
  });
  f.api.collection<Widget>().Delete("default", "w",
                                    DeleteOptions{std::nullopt, PropagationPolicy::kForeground});
  f.Settle();
  auto marked = f.Widget_("w");
  REQUIRE(marked);
  CHECK(marked->metadata.deletion_timestamp);
  CHECK(marked->metadata.finalizers == std::vector<std::string>{"foregroundDeletion"});
  CHECK_FALSE(f.Gadget_("free"));
  REQUIRE(f.Gadget_("blocking"));
  CHECK(f.Gadget_("blocking")->metadata.deletion_timestamp);
  f.api.collection<Gadget>().Mutate("default", "blocking",
                                    [](Gadget& g) { g.metadata.finalizers.clear(); });
  f.Settle();
  CHECK_FALSE(f.Gadget_("blocking"));
  CHECK_FALSE(f.Widget_("w"));
}

TEST_CASE("foreground deletion of an owner without blocking dependents removes it at once") {
  Fixture f;
  auto owner = f.Owner("w");
  f.Dependent("free", *owner, false);
  f.api.collection<Widget>().Delete("default", "w",
                                    DeleteOptions{std::nullopt, PropagationPolicy::kForeground});
  f.Settle();
  CHECK_FALSE(f.Widget_("w"));
  CHECK_FALSE(f.Gadget_("free"));
}

TEST_CASE("orphan deletion removes the owner and leaves its dependents without the reference") {
  Fixture f;
  auto owner = f.Owner("w");
  f.Dependent("g", *owner, true);
  f.api.collection<Widget>().Delete("default", "w",
                                    DeleteOptions{std::nullopt, PropagationPolicy::kOrphan});
  REQUIRE(f.Widget_("w"));
  CHECK(f.Widget_("w")->metadata.finalizers == std::vector<std::string>{"orphan"});
  f.Settle();
  CHECK_FALSE(f.Widget_("w"));
  REQUIRE(f.Gadget_("g"));
  CHECK(f.Gadget_("g")->metadata.owner_references.empty());
}

TEST_CASE(
    "a bound pod with a finalizer stays after the kubelet finishes it, until the finalizer "
    "is removed") {
  testing::FakeCluster c;
  c.AddNode("node-1");
  auto pod = testing::PodFromYaml(R"(apiVersion: v1
kind: Pod
metadata: {name: p, finalizers: [batch.kubernetes.io/job-tracking]}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 5
  containers: [{name: c, image: busybox, command: [sleep, "100"]}]
)");
  REQUIRE(c.api.collection<Pod>().Create(pod).ok());
  c.RunUntil([&] { return c.Get("p")->status.phase == "Running"; });
  c.api.collection<Pod>().Delete("default", "p");
  c.RunFor(60);
  auto after = c.Get("p");
  REQUIRE(after);
  CHECK(after->IsTerminal());
  CHECK(after->metadata.deletion_grace_period_seconds == 0);
  c.api.collection<Pod>().Mutate("default", "p", [](Pod& p) { p.metadata.finalizers.clear(); });
  c.RunFor(1);
  CHECK_FALSE(c.Get("p"));
}

}  // namespace
}  // namespace ptsim
