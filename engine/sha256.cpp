#include "engine/sha256.h"

#include <openssl/evp.h>

namespace rsoflow {
namespace {

// Fetched once: EVP_sha256() makes every EVP_Digest look the algorithm up in the provider
// tables again (OpenSSL 3's implicit fetch, with its locks), about half the cost of hashing a
// short message.
const EVP_MD* Sha256Md() {
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

void HexTo(const unsigned char* digest, unsigned int len, char* out) {
  static const char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
}

std::string Hex(const unsigned char* digest, unsigned int len) {
  std::string out(len * 2, '0');
  HexTo(digest, len, out.data());
  return out;
}

// One context per thread, freed when the thread ends: EVP_Digest makes and frees one per call,
// which costs about as much as hashing a short message.
struct ThreadContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~ThreadContext() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

void Sha256HexTo(const void* data, size_t size, char* hex) {
  thread_local ThreadContext t;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex(t.ctx, Sha256Md(), nullptr);
  EVP_DigestUpdate(t.ctx, data, size);
  EVP_DigestFinal_ex(t.ctx, digest, &len);
  HexTo(digest, len, hex);
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, Sha256Md(), nullptr);
  return Hex(digest, len);
}

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), Sha256Md(), nullptr);
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256Stream::Update(const void* data, size_t size) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data, size);
}

std::string Sha256Stream::FinishHex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &len);
  return Hex(digest, len);
}

}  // namespace rsoflow
