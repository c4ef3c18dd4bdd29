// Password hashing and token generation (DESIGN 5).
//
// Passwords: PBKDF2-HMAC-SHA256 (OpenSSL), stored as a PHC-style string
// "$pbkdf2-sha256$i=<iterations>$<salt, base64>$<hash, base64>" so the parameters travel with
// the hash and can be raised later. Tokens: 32 random bytes, base64url, shown once; only
// their SHA-256 is stored.
//
// Thread-safety: all functions are thread-safe.
#pragma once

#include <optional>
#include <string>

namespace rsoflow::auth {

inline constexpr int kDefaultPbkdf2Iterations = 600000;

std::string HashPassword(const std::string& password, int iterations = kDefaultPbkdf2Iterations);
// Constant-time comparison; false for a malformed stored hash.
bool VerifyPassword(const std::string& password, const std::string& stored);
// The iteration count a stored hash was made with; nullopt for a malformed one.
std::optional<int> IterationsOf(const std::string& stored);

// 32 bytes from the OpenSSL CSPRNG, base64url without padding (43 characters).
std::string NewToken();
// What is stored and looked up: lower-case hex SHA-256 of the token.
std::string TokenHash(const std::string& token);
// The CSRF token of a cookie session (API.md 1.1): hex HMAC-SHA256 keyed by the session token.
// A page of the app learns it from the login answer and sends it as X-CSRF-Token; another
// site's page can make the browser send the cookie but cannot read it, so it cannot compute
// this. Nothing is stored: it is checked by computing it again from the cookie.
std::string CsrfTokenFor(const std::string& session_token);
// Constant-time equality of two strings (the length is not secret).
bool SameSecret(const std::string& a, const std::string& b);

// A random password for accounts created without one (20 base64url characters).
std::string NewPassword();

// An id for a request that brought none (16 lower-case hex characters). Not a secret, so not
// from the CSPRNG, which costs a lock and a DRBG step per call: a bijective mix of a counter
// that starts at a random value, so no two calls of one process return the same id.
std::string NewRequestId();

}  // namespace rsoflow::auth
