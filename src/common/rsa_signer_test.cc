#include "common/rsa_signer.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <thread>
#include <vector>

namespace orgd {
namespace {

// Verifies `signature` over `data` with the SPKI PEM, as any verifier would.
bool Verifies(const std::string& public_pem, std::string_view data, std::string_view signature) {
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      pkey != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return ok;
}

TEST(RsaKeyTest, GeneratesAKeyTheSdkPemPathAccepts) {
  auto key = RsaKey::Generate();
  ASSERT_TRUE(key) << key.error().detail;
  EXPECT_EQ((*key)->ExponentBase64Url(), "AQAB");
  // 256 bytes of modulus → 342 base64url characters.
  EXPECT_EQ((*key)->ModulusBase64Url().size(), 342u);
  const std::string pem = (*key)->PublicPem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PUBLIC KEY-----\n")) << pem;
  // @clerk/backend strips this fixed SPKI prefix of an RSA-2048 key and the IDAQAB suffix.
  EXPECT_NE(pem.find("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"), std::string::npos);
  EXPECT_NE(pem.find("IDAQAB\n-----END PUBLIC KEY-----"), std::string::npos);
}

TEST(RsaKeyTest, SignaturesVerifyAndSurviveAPemRoundTrip) {
  auto key = RsaKey::Generate();
  ASSERT_TRUE(key);
  auto again = RsaKey::FromPrivatePem((*key)->PrivatePem());
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->ModulusBase64Url(), (*key)->ModulusBase64Url());
  auto sig = (*again)->Sign("header.payload");
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->size(), 256u);
  EXPECT_TRUE(Verifies((*key)->PublicPem(), "header.payload", *sig));
  EXPECT_FALSE(Verifies((*key)->PublicPem(), "header.payloaD", *sig));
}

TEST(RsaKeyTest, RefusesWhatIsNotAnRsa2048Key) {
  EXPECT_FALSE(RsaKey::FromPrivatePem("not a key"));
  EVP_PKEY* small = EVP_RSA_gen(1024);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, small, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  auto r = RsaKey::FromPrivatePem(std::string_view(data, n));
  BIO_free(bio);
  EVP_PKEY_free(small);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail.find("PRIVATE"), std::string::npos);
}

TEST(RsaKeyTest, SignsFromManyThreadsWithTwoKeys) {
  auto a = RsaKey::Generate();
  auto b = RsaKey::Generate();
  ASSERT_TRUE(a && b);
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const auto& key = (i + t) % 2 == 0 ? **a : **b;
        const std::string data = "m" + std::to_string(t) + "." + std::to_string(i);
        auto sig = key.Sign(data);
        if (sig && Verifies(key.PublicPem(), data, *sig)) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 80);
}

TEST(SignJwtTest, IsThreeBase64UrlPartsOverTheSignedText) {
  auto key = RsaKey::Generate();
  ASSERT_TRUE(key);
  auto jwt = SignJwt(**key, R"({"alg":"RS256"})", R"({"sub":"user_1"})");
  ASSERT_TRUE(jwt);
  const size_t first = jwt->find('.'), second = jwt->rfind('.');
  EXPECT_EQ(jwt->substr(0, first), Base64UrlEncode(R"({"alg":"RS256"})"));
  EXPECT_EQ(jwt->substr(first + 1, second - first - 1), Base64UrlEncode(R"({"sub":"user_1"})"));
  EXPECT_EQ(jwt->find_first_of("+/="), std::string::npos);
}

}  // namespace
}  // namespace orgd
