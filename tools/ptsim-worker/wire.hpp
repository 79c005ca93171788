// The messages ranks exchange over TCP, and their byte encoding. A frame is a
// 16-byte header (magic "PTSW", type, payload length) and a payload of
// little-endian integers and IEEE doubles sent as their exact bits, so values
// arrive bit for bit. Encode* never fail; Decode* check sizes and return an
// error naming what was malformed. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

inline constexpr std::uint32_t kFrameMagic = 0x57535450;  // "PTSW" on the wire
inline constexpr std::size_t kFrameHeaderSize = 16;
inline constexpr std::uint64_t kMaxPayload = 64ULL << 20;

enum class MessageType : std::uint32_t {
  kHello = 1,     // rank > 0 -> rank 0, once, right after connecting
  kWelcome = 2,   // rank 0 -> rank > 0, once: where to start, rank 0's parameters
  kGradient = 3,  // rank > 0 -> rank 0, every step
  kReduced = 4,   // rank 0 -> rank > 0, every step: averaged gradient, mean loss
};

std::string MessageName(MessageType type);

struct Frame {
  MessageType type{};
  std::vector<std::uint8_t> payload;
};

// Who a connecting rank is, and the settings that every rank must share.
struct Hello {
  int rank = 0;
  int world_size = 0;
  int dim = 0;
  std::int64_t steps = 0;
  double lr = 0;
};

// The state every rank starts from, as DDP broadcasts rank 0's module state.
struct Welcome {
  std::int64_t start_step = 0;  // the last completed step; training continues at +1
  bool resumed = false;         // rank 0 resumed from a checkpoint
  double loss = 0;              // the loss at start_step (NaN when start_step is 0)
  std::vector<double> params;
};

// A rank's gradient for one step, or the averaged one rank 0 sends back.
struct StepValues {
  std::int64_t step = 0;
  double loss = 0;
  std::vector<double> values;
};

struct FrameHeader {
  MessageType type{};
  std::uint64_t length = 0;  // of the payload that follows
};

std::vector<std::uint8_t> EncodeFrame(MessageType type, std::span<const std::uint8_t> payload);
// An error for a bad magic (the peer is not a ptsim-worker) or an oversized payload.
// REQUIRES: header.size() >= kFrameHeaderSize
Result<FrameHeader> DecodeFrameHeader(std::span<const std::uint8_t> header);

std::vector<std::uint8_t> EncodeHello(const Hello& hello);
std::vector<std::uint8_t> EncodeWelcome(const Welcome& welcome);
std::vector<std::uint8_t> EncodeStepValues(const StepValues& values);

Result<Hello> DecodeHello(std::span<const std::uint8_t> payload);
Result<Welcome> DecodeWelcome(std::span<const std::uint8_t> payload);
Result<StepValues> DecodeStepValues(std::span<const std::uint8_t> payload);

}  // namespace ptsim::worker
