// `ptsim describe`'s describers, each printing one object of a finished run's
// report as kubectl describe would (staging/src/k8s.io/kubectl/pkg/describe/
// describe.go): describePod, the generic describer kubectl uses for a CRD
// such as a PyTorchJob (genericDescriber, printUnstructuredContent), and
// describeNode. Times are virtual ("12.345s" since the run began); ages and
// event intervals count back from the run's end (`end`, virtual seconds).
// Pure functions over the report JSON; describe_command.cpp picks the object.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "tools/ptsim/tab_writer.hpp"

namespace ptsim::cli {

// `pod` is one entry of the report's pods; events are matched by its uid.
std::string DescribePod(const nlohmann::json& report, const nlohmann::json& pod, double end);
std::string DescribeJob(const nlohmann::json& report, const nlohmann::json& job, double end);
std::string DescribeNode(const nlohmann::json& report, const nlohmann::json& node, double end);

// Shared by the describers (describe.go's helpers of the same names).
// "Labels:\tk=v\n\tk2=v2\n" or "\t<none>".
void PrintLabelsMultiline(TabWriter& w, const std::string& title, const nlohmann::json& labels);
// "Annotations:\tk: v\n": long or multi-line values on lines of their own.
void PrintAnnotationsMultiline(TabWriter& w, const std::string& title,
                               const nlohmann::json& annotations);
// The object's events as the Events table (describe.go DescribeEvents).
void DescribeEvents(TabWriter& w, const nlohmann::json& report, const std::string& kind,
                    const std::string& name, const std::string& uid, double end);

}  // namespace ptsim::cli
