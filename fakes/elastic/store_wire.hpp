// The c10d TCPStore wire protocol, as torch's clients speak it: one query
// type byte, then its arguments; strings and byte vectors as a little-endian
// uint64 length and the bytes; counts uint64, ADD's delta int64, PING's
// nonce uint32. Two dialects, told apart by a connection's first bytes:
//  - torch 1.13 (torch/csrc/distributed/c10d/TCPStore.cpp, QueryType SET=0
//    .. DELETE_KEY=8 with WATCH_KEY=7; no handshake);
//  - torch 2.x (torch/csrc/distributed/c10d/TCPStoreBackend.hpp QueryType VALIDATE=0 ..
//  QUEUE_LEN=16;
//    every client opens with VALIDATE and the magic 0x3C85F7CE, served by
//    torch/csrc/distributed/c10d/TCPStoreLibUvBackend.cpp).
// ParseRequest reads one request from the front of a buffer: a request, a
// need for more bytes, or malformed input (an unknown query type, a bad
// magic, a length past the limits), on which a server closes the connection.
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptsim::elastic::wire {

enum class Dialect { kUnknown, kTorch1_13, kTorch2 };

enum class Op {
  kValidate,
  kSet,
  kCompareSet,
  kGet,
  kAdd,
  kCheck,
  kWait,
  kGetNumKeys,
  kWatchKey,  // 1.13 only
  kDeleteKey,
  kAppend,  // 2.x from here on
  kMultiGet,
  kMultiSet,
  kCancelWait,
  kPing,
  kQueuePush,
  kQueuePop,
  kQueueLen,
};

// torch/csrc/distributed/c10d/TCPStoreBackend.hpp validationMagicNumber.
constexpr std::uint32_t kValidationMagic = 0x3C85F7CE;
// torch/csrc/distributed/c10d/TCPStoreLibUvBackend.cpp's limits (MAX_STRING_LEN, MAX_PAYLOAD_LEN,
// MAX_KEY_COUNT). torch 1.13's server has none: it allocates what a length
// announces and blocks its only thread reading it; ptsim applies
// kMaxPayload13 to both its keys and values instead, and closes the connection.
constexpr std::uint64_t kMaxKey2 = 8 * 1024;
constexpr std::uint64_t kMaxPayload2 = 8 * 1024 * 1024;
constexpr std::uint64_t kMaxKeyCount2 = 128 * 1024;
constexpr std::uint64_t kMaxPayload13 = 64 * 1024 * 1024;

// Response codes (torch/csrc/distributed/c10d/TCPStore.hpp /
// torch/csrc/distributed/c10d/TCPStoreBackend.hpp).
enum class CheckResponse : std::uint8_t { kReady = 0, kNotReady = 1 };
enum class WaitResponse : std::uint8_t { kStopWaiting = 0, kWaitCanceled = 1 };
enum class WatchResponse : std::uint8_t {  // 1.13
  kKeyUpdated = 0,
  kKeyCreated = 1,
  kKeyDeleted = 2,
  kKeyCallbackRegistered = 3,
};

struct Request {
  Op op = Op::kSet;
  std::vector<std::string> keys;    // SET/GET/...: one; CHECK/WAIT/MULTI_*: many
  std::vector<std::string> values;  // SET/APPEND/QUEUE_PUSH: one; COMPARE_SET: expected,
                                    // desired; MULTI_SET: one per key
  std::int64_t delta = 0;           // ADD
  std::uint32_t number = 0;         // VALIDATE's magic, PING's nonce
};

struct Parsed {
  enum class Status { kNeedMore, kRequest, kMalformed };
  Status status = Status::kNeedMore;
  std::size_t consumed = 0;  // bytes of the request (kRequest)
  Request request;
  std::string error;  // kMalformed: why
};

// The dialect of a connection from its first bytes; kUnknown while fewer
// than needed have arrived (a 0 byte needs the 4 after it).
Dialect DetectDialect(std::string_view head);
Parsed ParseRequest(Dialect dialect, std::string_view buffer);
std::string_view OpName(Op op);

// Encoders for responses (and for clients in tests).
void PutU8(std::string* out, std::uint8_t v);
void PutU32(std::string* out, std::uint32_t v);
void PutU64(std::string* out, std::uint64_t v);
void PutI64(std::string* out, std::int64_t v);
void PutBytes(std::string* out, std::string_view bytes);  // length, then the bytes
// The query type byte of `op` in `dialect`; -1 when the dialect has no such op.
int QueryByte(Dialect dialect, Op op);

}  // namespace ptsim::elastic::wire
