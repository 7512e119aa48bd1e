#include "common/base64.h"

#include <gtest/gtest.h>

namespace orgd {
namespace {

TEST(Base64UrlTest, EncodesWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Test, RoundTripsWithPadding) {
  for (std::string_view s : {"", "f", "fo", "foo", "foob", "fooba", "\xfb\xff\x00"}) {
    const std::string encoded = Base64Encode(s);
    EXPECT_EQ(encoded.size() % 4, 0u) << s;
    EXPECT_EQ(Base64Decode(encoded), std::string(s));
  }
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
}

TEST(Base64Test, RefusesWhatIsNotBase64) {
  EXPECT_FALSE(Base64Decode("abc"));   // not a multiple of 4
  EXPECT_FALSE(Base64Decode("ab!="));  // not the alphabet
}

// Found by fuzz/token_encoding_fuzzer.cc: OpenSSL's decoder took these, and for the first two
// returned bytes the text does not hold (the trailing blanks decoded as zeros).
TEST(Base64Test, RefusesBlanksInnerPaddingAndLoneLetters) {
  for (std::string_view text :
       {"QQ==    ", "    QQ==", "QQ=5", "=QQQ", "Q===", "====", "QQ\n=", "QUFB\r\nQUFB"}) {
    EXPECT_FALSE(Base64Decode(text)) << text;
  }
  EXPECT_EQ(Base64Decode("QQ=="), "A");
  EXPECT_EQ(Base64Decode("QUE="), "AA");
  EXPECT_EQ(Base64Decode("QUFB"), "AAA");
}

}  // namespace
}  // namespace orgd
