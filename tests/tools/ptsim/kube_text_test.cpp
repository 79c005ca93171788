// The text forms `ptsim describe` and `ptsim events` share with kubectl:
// Go's tabwriter alignment, apimachinery's HumanDuration, describe.go's
// smartLabelFor and the event interval.
#include <catch2/catch.hpp>

#include "tools/ptsim/kube_text.hpp"
#include "tools/ptsim/tab_writer.hpp"

namespace ptsim::cli {
namespace {

TEST_CASE("TabWriter aligns consecutive lines' cells as Go's tabwriter") {
  TabWriter w(0, 2);
  w.Write(
      "Name:\tpod\nNamespace:\tdefault\nContainers:\n  c:\n    Image:\tbusybox\n"
      "    Restart Count:\t0\n");
  CHECK(w.Text() ==
        "Name:       pod\nNamespace:  default\nContainers:\n  c:\n    Image:          busybox\n"
        "    Restart Count:  0\n");
}

TEST_CASE("TabWriter ends a column block at a line with fewer cells and after Flush") {
  TabWriter w(0, 2);
  w.Write("a\tb\tc\nlonger\tb\nx\n  Type\tStatus\n");
  w.Flush();
  w.Write("k:\tv\n");
  CHECK(w.Text() == "a       b  c\nlonger  b\nx\n  Type  Status\nk:  v\n");
}

TEST_CASE("TabWriter with kubectl get's settings pads to at least six") {
  TabWriter w(6, 3);
  w.Write("A\tBB\nccc\td\n");
  CHECK(w.Text() == "A     BB\nccc   d\n");
}

TEST_CASE("HumanDuration follows apimachinery's duration.HumanDuration") {
  CHECK(HumanDuration(0.4) == "0s");
  CHECK(HumanDuration(-0.5) == "0s");
  CHECK(HumanDuration(-3) == "<invalid>");
  CHECK(HumanDuration(119) == "119s");
  CHECK(HumanDuration(150) == "2m30s");
  CHECK(HumanDuration(180) == "3m");
  CHECK(HumanDuration(11 * 60 + 5) == "11m");
  CHECK(HumanDuration(3 * 3600 + 5 * 60) == "3h5m");
  CHECK(HumanDuration(10 * 3600) == "10h");
  CHECK(HumanDuration(3 * 86400 + 3600) == "3d1h");
  CHECK(HumanDuration(400 * 86400.0) == "400d");
  CHECK(HumanDuration(3 * 365 * 86400.0 + 86400) == "3y1d");
}

TEST_CASE("SmartLabel follows describe.go smartLabelFor") {
  CHECK(SmartLabel("pytorchReplicaSpecs") == "Pytorch Replica Specs");
  CHECK(SmartLabel("apiVersion") == "API Version");
  CHECK(SmartLabel("uid") == "UID");
  CHECK(SmartLabel("HTTPServer") == "HTTP Server");
  CHECK(SmartLabel("nvidia.com/gpu") == "nvidia.com/gpu");
  CHECK(SmartLabel("backoffLimit") == "Backoff Limit");
}

TEST_CASE("EventInterval shows a count and the first time for an aggregated event") {
  CHECK(EventInterval({{"time", 10.0}, {"lastTime", 10.0}, {"count", 1}}, 70.0) == "60s");
  CHECK(EventInterval({{"time", 0.0}, {"lastTime", 50.0}, {"count", 3}}, 200.0) ==
        "2m30s (x3 over 3m20s)");
}

}  // namespace
}  // namespace ptsim::cli
