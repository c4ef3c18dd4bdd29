// SHA-256 helpers (OpenSSL EVP). Thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace rsoflow {

// Lower-case hex SHA-256 of the bytes.
std::string Sha256Hex(const std::string& bytes);
// The same 64 hex digits written to `hex` (not terminated), with a digest context kept per
// thread: for hashing millions of short messages (a chain's verification).
void Sha256HexTo(const void* data, size_t size, char* hex);

// SHA-256 fed in pieces (a document written or read in chunks). Not copyable.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(const void* data, size_t size);
  // Lower-case hex of everything fed; call once.
  std::string FinishHex();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace rsoflow
