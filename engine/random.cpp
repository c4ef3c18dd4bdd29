#include "engine/random.h"

#include <openssl/rand.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rsoflow {

std::optional<std::string> RandomHex(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char buf[64];
  if (bytes > sizeof buf || RAND_bytes(buf, static_cast<int>(bytes)) != 1) return std::nullopt;
  std::string out(2 * bytes, '0');
  for (size_t i = 0; i < bytes; ++i) {
    out[2 * i] = kHex[buf[i] >> 4];
    out[2 * i + 1] = kHex[buf[i] & 0xf];
  }
  return out;
}

uint64_t RandomU64() {
  struct Pool {
    uint64_t values[64];
    size_t next = 64;
  };
  thread_local Pool pool;
  if (pool.next == 64) {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(pool.values), sizeof pool.values) != 1) {
      std::fputs("rsoflow: the system random number generator failed\n", stderr);
      std::abort();
    }
    pool.next = 0;
  }
  const uint64_t v = pool.values[pool.next];
  pool.values[pool.next++] = 0;  // a drawn value is not kept in memory
  return v;
}

}  // namespace rsoflow
