// SHA-256 helpers (OpenSSL EVP). Thread-safe.
#pragma once

#include <string>

namespace rsoflow {

// Lower-case hex SHA-256 of the bytes.
std::string Sha256Hex(const std::string& bytes);

}  // namespace rsoflow
