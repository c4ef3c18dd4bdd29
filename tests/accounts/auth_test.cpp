#include "accounts/auth.h"

#include <gtest/gtest.h>

#include <set>

namespace rsoflow::auth {
namespace {

TEST(Password, HashCarriesItsParametersAndVerifies) {
  const std::string h = HashPassword("correct horse battery", 1000);
  EXPECT_EQ(h.rfind("$pbkdf2-sha256$i=1000$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery", h));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", h));
  EXPECT_FALSE(VerifyPassword("", h));
}

TEST(Password, SamePasswordGetsADifferentSaltEachTime) {
  EXPECT_NE(HashPassword("same password!", 1000), HashPassword("same password!", 1000));
}

TEST(Password, DefaultIterationCountIsAtLeast600000) {
  EXPECT_GE(kDefaultPbkdf2Iterations, 600000);
}

TEST(Password, MalformedStoredHashNeverVerifies) {
  for (const char* bad : {"", "plain", "$pbkdf2-sha256$i=0$AAAA$AAAA", "$pbkdf2-sha256$i=x$A$A",
                          "$pbkdf2-sha256$i=1000$", "$pbkdf2-sha256$i=1000$!!!!$AAAA"}) {
    EXPECT_FALSE(VerifyPassword("anything", bad)) << bad;
    EXPECT_FALSE(IterationsOf(bad).has_value()) << bad;  // a login would not rehash by it
  }
}

TEST(Password, IterationsOfReadsTheCountAHashWasMadeWith) {
  EXPECT_EQ(IterationsOf(HashPassword("secret", 1234)), 1234);
  EXPECT_EQ(IterationsOf(HashPassword("secret", 1)), 1);
}

TEST(Token, Is32RandomBytesInBase64UrlAndStoredOnlyAsSha256) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = NewToken();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RequestId, IsSixteenHexCharactersAndNeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 100000; ++i) {
    const std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 16u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100000u);
}

}  // namespace
}  // namespace rsoflow::auth
