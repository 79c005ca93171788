#include "sim/model/dns_name.hpp"

namespace ptsim {
namespace {

bool LowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool Alnum(char c) {
  return LowerAlnum(c) || (c >= 'A' && c <= 'Z');
}

}  // namespace

bool MatchesDns1123Label(std::string_view value) {
  if (value.empty() || !LowerAlnum(value.front()) || !LowerAlnum(value.back())) return false;
  for (char c : value) {
    if (!LowerAlnum(c) && c != '-') return false;
  }
  return true;
}

bool MatchesDns1123Subdomain(std::string_view value) {
  while (true) {
    const auto dot = value.find('.');
    if (!MatchesDns1123Label(value.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    value.remove_prefix(dot + 1);
  }
}

bool MatchesDns1035Label(std::string_view value) {
  return MatchesDns1123Label(value) && value.front() >= 'a' && value.front() <= 'z';
}

bool MatchesQualifiedNamePart(std::string_view value) {
  if (value.empty() || !Alnum(value.front()) || !Alnum(value.back())) return false;
  for (char c : value) {
    if (!Alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace ptsim
