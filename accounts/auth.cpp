#include "accounts/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "engine/random.h"
#include "engine/sha256.h"

namespace rsoflow::auth {
namespace {

std::vector<unsigned char> RandomBytes(size_t n) {
  std::vector<unsigned char> out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    throw std::runtime_error("the system random number generator failed");
  }
  return out;
}

std::string Base64(const unsigned char* data, size_t n, bool url) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  const int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  if (url) {
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) {
      if (c == '+')
        c = '-';
      else if (c == '/')
        c = '_';
    }
  }
  return out;
}

std::optional<std::vector<unsigned char>> Unbase64(const std::string& s) {
  if (s.empty() || s.size() % 4 != 0) return std::nullopt;
  std::vector<unsigned char> out(3 * s.size() / 4 + 1);
  const int len = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()),
                                  static_cast<int>(s.size()));
  if (len < 0) return std::nullopt;
  size_t pad = 0;
  if (s.back() == '=') ++pad;
  if (s.size() > 1 && s[s.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(len) - pad);
  return out;
}

std::vector<unsigned char> Derive(const std::string& password,
                                  const std::vector<unsigned char>& salt, int iterations,
                                  size_t length) {
  std::vector<unsigned char> out(length);
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(length), out.data());
  return out;
}

}  // namespace

namespace {

const std::string kPhcPrefix = "$pbkdf2-sha256$i=";

// The parts of a stored "$pbkdf2-sha256$i=<n>$<salt>$<hash>"; nullopt when it is malformed.
struct Phc {
  int iterations = 0;
  std::vector<unsigned char> salt, hash;
};

std::optional<Phc> ParsePhc(const std::string& stored) {
  if (stored.compare(0, kPhcPrefix.size(), kPhcPrefix) != 0) return std::nullopt;
  const size_t salt_at = stored.find('$', kPhcPrefix.size());
  if (salt_at == std::string::npos) return std::nullopt;
  const size_t hash_at = stored.find('$', salt_at + 1);
  if (hash_at == std::string::npos) return std::nullopt;
  Phc phc;
  try {
    phc.iterations = std::stoi(stored.substr(kPhcPrefix.size(), salt_at - kPhcPrefix.size()));
  } catch (...) {
    return std::nullopt;
  }
  auto salt = Unbase64(stored.substr(salt_at + 1, hash_at - salt_at - 1));
  auto hash = Unbase64(stored.substr(hash_at + 1));
  if (phc.iterations < 1 || !salt || !hash || hash->empty()) return std::nullopt;
  phc.salt = std::move(*salt);
  phc.hash = std::move(*hash);
  return phc;
}

}  // namespace

std::string HashPassword(const std::string& password, int iterations) {
  const auto salt = RandomBytes(16);
  const auto hash = Derive(password, salt, iterations, 32);
  return kPhcPrefix + std::to_string(iterations) + "$" + Base64(salt.data(), salt.size(), false) +
         "$" + Base64(hash.data(), hash.size(), false);
}

std::optional<int> IterationsOf(const std::string& stored) {
  const auto phc = ParsePhc(stored);
  if (!phc) return std::nullopt;
  return phc->iterations;
}

bool VerifyPassword(const std::string& password, const std::string& stored) {
  const auto phc = ParsePhc(stored);
  if (!phc) return false;
  const auto actual = Derive(password, phc->salt, phc->iterations, phc->hash.size());
  return CRYPTO_memcmp(actual.data(), phc->hash.data(), actual.size()) == 0;
}

std::string NewToken() {
  const auto bytes = RandomBytes(32);
  return Base64(bytes.data(), bytes.size(), true);
}

std::string TokenHash(const std::string& token) { return Sha256Hex(token); }

std::string CsrfTokenFor(const std::string& session_token) {
  static constexpr char kPurpose[] = "rsoflow-csrf-v1";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), session_token.data(), static_cast<int>(session_token.size()),
       reinterpret_cast<const unsigned char*>(kPurpose), sizeof kPurpose - 1, mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xf];
  }
  return out;
}

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string NewRequestId() {
  // 64 bits from the CSPRNG: an id says nothing about any other (a counter, even mixed, let
  // one id bound every other, and audit entries hash the request id - issue 17).
  uint64_t z = RandomU64();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, z >>= 4) out[static_cast<size_t>(i)] = kHex[z & 0xf];
  return out;
}

std::string NewPassword() {
  const auto bytes = RandomBytes(15);
  return Base64(bytes.data(), bytes.size(), true);
}

}  // namespace rsoflow::auth
