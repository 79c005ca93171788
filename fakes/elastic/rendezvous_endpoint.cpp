#include "fakes/elastic/rendezvous_endpoint.hpp"

#include <fmt/format.h>

#include <regex>

#include "fakes/elastic/python_syntax.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim::elastic {

// rendezvous/utils.py parse_rendezvous_endpoint.
std::optional<TorchrunError> ParseRendezvousEndpoint(std::string_view raw, int default_port,
                                                     std::string* host, int* port) {
  const std::string endpoint(PyStrip(raw));
  if (endpoint.empty()) {
    *host = "localhost";
    *port = default_port;
    return std::nullopt;
  }
  std::string h = endpoint;
  std::optional<std::string> rest;
  if (!(endpoint.front() == '[' && endpoint.back() == ']')) {
    if (auto colon = endpoint.rfind(':'); colon != std::string::npos) {
      h = endpoint.substr(0, colon);
      rest = endpoint.substr(colon + 1);
    }
  }
  if (h.size() > 1 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (rest) {
    static const std::regex kPort("^[0-9]{1,5}$", kLinearRegex);
    if (!std::regex_match(*rest, kPort) || std::stoi(*rest) >= 65536) {
      return TorchrunError::Exception(
          "ValueError", fmt::format("The port number of the rendezvous endpoint '{}' must be an "
                                    "integer between 0 and 65536.",
                                    endpoint));
    }
    *port = std::stoi(*rest);
  } else {
    *port = default_port;
  }
  static const std::regex kHost(R"(^[A-Za-z0-9_\.:-]+$)", kLinearRegex);
  if (!std::regex_match(h, kHost)) {
    return TorchrunError::Exception(
        "ValueError",
        fmt::format("The hostname of the rendezvous endpoint '{}' must be a "
                    "dot-separated list of labels, an IPv4 address, or an IPv6 address.",
                    endpoint));
  }
  *host = h;
  return std::nullopt;
}

}  // namespace ptsim::elastic
