// Rendezvous endpoints as torch reads them (rendezvous/utils.py
// parse_rendezvous_endpoint): "<host>[:<port>]", "[v6]" and "[v6]:port",
// an empty endpoint meaning localhost, the port 0-65535, the host a
// dot-separated list of labels or an address; errors are torch's ValueErrors.
// Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fakes/elastic/torchrun_error.hpp"

namespace ptsim::elastic {

// Sets *host and *port (default_port when the endpoint names none).
std::optional<TorchrunError> ParseRendezvousEndpoint(std::string_view raw, int default_port,
                                                     std::string* host, int* port);

}  // namespace ptsim::elastic
