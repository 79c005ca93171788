// UTF-8 as Go and the Kubernetes API see it: decoding one code point,
// finding the first invalid byte, and replacing invalid bytes so that text
// from processes can go into JSON (which must be valid UTF-8). Pure
// functions; any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ptsim {

// The length (1 to 4) of the valid UTF-8 sequence at text[i] and its code
// point in *cp, or 0 when the bytes there are not valid UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are invalid, as in Go's
// unicode/utf8). REQUIRES: i < text.size().
std::size_t DecodeUtf8(std::string_view text, std::size_t i, char32_t* cp);

// The offset of the first byte that is not part of valid UTF-8, if any.
std::optional<std::size_t> FindInvalidUtf8(std::string_view text);

// `text` with every invalid byte replaced by U+FFFD, as nlohmann::json's
// error_handler_t::replace and Go's strings.ToValidUTF8 do per bad byte.
std::string ReplaceInvalidUtf8(std::string_view text);

}  // namespace ptsim
