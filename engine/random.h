// The system's cryptographically secure random number generator (OpenSSL's RAND_bytes), for
// values an attacker must not predict: audit salts, request ids.
//
// Thread-safety: every function is thread-safe (OpenSSL keeps a generator per thread).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace rsoflow {

// `bytes` random bytes as 2 x bytes lower-case hex digits; nullopt if the generator fails
// (it does not once seeded, but a caller inside a transaction must be able to refuse).
std::optional<std::string> RandomHex(size_t bytes);

// 64 random bits, drawn from a per-thread buffer filled 512 bytes at a time, so the hot path
// (one request id per request) calls the generator once every 64 draws. Aborts if the
// generator fails: a process without randomness must not serve.
uint64_t RandomU64();

}  // namespace rsoflow
