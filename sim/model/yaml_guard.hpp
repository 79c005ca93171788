// A check of a YAML stream with yaml-cpp's event parser, before any node is
// built and before any code walks the nodes, against inputs that would
// otherwise hang ptsim, exhaust its memory or overflow its stack:
//  * a token yaml-cpp's LoadAll never consumes (a ',' where a document should
//    start: jbeder/yaml-cpp#1040), on which LoadAll appends empty documents
//    forever;
//  * alias expansion beyond go-yaml's rule (kubernetes/kubernetes#83253,
//    CVE-2019-11253: "document contains excessive aliasing"), which bounds the
//    work of every walk of the decoded nodes;
//  * an alias inside the node it names, which yaml-cpp builds as a cycle;
//  * more than kMaxYamlNodes nodes (yaml-cpp takes about 500 bytes a node).
// Pure function; any thread.
#pragma once

#include <cstddef>
#include <string>

#include "sim/core/diagnostics.hpp"

namespace ptsim {

// The most YAML nodes (scalars, lists, mappings, aliases) in one input file.
inline constexpr std::size_t kMaxYamlNodes = 200'000;

// Reports the first problem above, or yaml-cpp's syntax error, at its
// file:line:column; returns whether the stream is safe to load with
// YAML::LoadAll.
bool CheckYamlStream(const std::string& text, const std::string& path, Diagnostics* diagnostics);

}  // namespace ptsim
