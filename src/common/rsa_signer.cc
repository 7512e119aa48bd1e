#include "common/rsa_signer.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <vector>

namespace orgd {
namespace {

constexpr int kBits = 2048;
constexpr unsigned long kExponent = 65537;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, n > 0 ? static_cast<size_t>(n) : 0);
}

std::string BigNumParam(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return {};
  std::vector<unsigned char> bytes(BN_num_bytes(bn));
  BN_bn2bin(bn, bytes.data());
  BN_free(bn);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()),
                                          bytes.size()));
}

bool IsSupported(const EVP_PKEY* pkey) {
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA || EVP_PKEY_get_bits(pkey) != kBits) return false;
  BIGNUM* e = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) return false;
  const bool ok = BN_is_word(e, kExponent);
  BN_free(e);
  return ok;
}

// One thread's signing contexts for the keys it signed with. A context set up once
// (EVP_PKEY_sign_init, PKCS#1 v1.5 padding, SHA-256) signs any number of digests: no algorithm
// lookup and no context copy per signature, as `openssl speed` signs. Each thread signs with its
// own copy of the key: an RSA key's blinding values belong to the thread that made them, and every
// other thread shares one set under a lock, which made two signing threads wait on each other.
// Keyed by the shared key's address; a key's destructor cannot reach other threads' caches, so an
// entry holds a reference on it, keeping the address unique while cached.
struct ThreadContexts {
  struct Entry {
    EVP_PKEY* shared = nullptr;
    EVP_PKEY* own = nullptr;
    EVP_PKEY_CTX* sign = nullptr;
  };
  std::vector<Entry> entries;
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  ~ThreadContexts() {
    for (Entry& e : entries) Free(e);
    EVP_MD_free(sha256);
  }
  static void Free(Entry& e) {
    EVP_PKEY_CTX_free(e.sign);
    EVP_PKEY_free(e.own);
    EVP_PKEY_free(e.shared);
  }
  // A few keys at most are live at once (the current one, the one rotation just retired).
  static constexpr size_t kMaxEntries = 4;

  EVP_PKEY_CTX* For(EVP_PKEY* pkey) {
    for (Entry& e : entries) {
      if (e.shared == pkey) return e.sign;
    }
    EVP_PKEY* own = EVP_PKEY_dup(pkey);
    EVP_PKEY_CTX* ctx = own != nullptr ? EVP_PKEY_CTX_new(own, nullptr) : nullptr;
    if (ctx == nullptr || sha256 == nullptr || EVP_PKEY_sign_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_CTX_set_signature_md(ctx, sha256) != 1) {
      EVP_PKEY_CTX_free(ctx);
      EVP_PKEY_free(own);
      return nullptr;
    }
    if (entries.size() == kMaxEntries) {
      Free(entries.front());
      entries.erase(entries.begin());
    }
    EVP_PKEY_up_ref(pkey);
    entries.push_back({pkey, own, ctx});
    return ctx;
  }
};

}  // namespace

RsaKey::RsaKey(EVP_PKEY* pkey) : pkey_(pkey) {}
RsaKey::~RsaKey() { EVP_PKEY_free(pkey_); }

Result<std::shared_ptr<const RsaKey>> RsaKey::Generate() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
  EVP_PKEY* pkey = nullptr;
  BIGNUM* e = BN_new();
  const bool ok = ctx != nullptr && e != nullptr && BN_set_word(e, kExponent) == 1 &&
                  EVP_PKEY_keygen_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, kBits) == 1 &&
                  EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) == 1 &&
                  EVP_PKEY_keygen(ctx, &pkey) == 1;
  BN_free(e);
  EVP_PKEY_CTX_free(ctx);
  if (!ok) {
    EVP_PKEY_free(pkey);
    return Error(ErrorCode::kInternal, "internal_clerk_error", "", "", "",
                 "OpenSSL could not generate an RSA key");
  }
  return std::shared_ptr<const RsaKey>(new RsaKey(pkey));
}

Result<std::shared_ptr<const RsaKey>> RsaKey::FromPrivatePem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = bio != nullptr ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                                  : nullptr;
  BIO_free(bio);
  if (pkey == nullptr || !IsSupported(pkey)) {
    EVP_PKEY_free(pkey);
    return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                 "the stored signing key is not an RSA-2048 private key with e = 65537");
  }
  return std::shared_ptr<const RsaKey>(new RsaKey(pkey));
}

std::string RsaKey::PrivatePem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey_, nullptr, nullptr, 0, nullptr, nullptr);
  std::string pem = BioText(bio);
  BIO_free(bio);
  return pem;
}

std::string RsaKey::PublicPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, pkey_);
  std::string pem = BioText(bio);
  BIO_free(bio);
  return pem;
}

std::string RsaKey::ModulusBase64Url() const { return BigNumParam(pkey_, OSSL_PKEY_PARAM_RSA_N); }
std::string RsaKey::ExponentBase64Url() const {
  return BigNumParam(pkey_, OSSL_PKEY_PARAM_RSA_E);
}

Result<std::string> RsaKey::Sign(std::string_view data) const {
  thread_local ThreadContexts contexts;
  EVP_PKEY_CTX* ctx = contexts.For(pkey_);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  std::string signature(EVP_PKEY_get_size(pkey_), '\0');
  size_t n = signature.size();
  if (ctx == nullptr ||
      EVP_Digest(data.data(), data.size(), digest, &digest_size, contexts.sha256, nullptr) != 1 ||
      EVP_PKEY_sign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &n, digest,
                    digest_size) != 1) {
    return Error(ErrorCode::kInternal, "internal_clerk_error", "", "", "",
                 "OpenSSL could not sign a token");
  }
  signature.resize(n);
  return signature;
}

Result<RsaJwkParts> RsaJwkFromPublicPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = bio != nullptr ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (pkey == nullptr || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
    EVP_PKEY_free(pkey);
    return Error(ErrorCode::kInvalidArgument, "", "", "", "", "not an RSA public key");
  }
  RsaJwkParts parts{BigNumParam(pkey, OSSL_PKEY_PARAM_RSA_N),
                    BigNumParam(pkey, OSSL_PKEY_PARAM_RSA_E)};
  EVP_PKEY_free(pkey);
  return parts;
}

Result<std::string> SignJwt(const RsaKey& key, std::string_view header_json,
                            std::string_view payload_json) {
  std::string jwt = Base64UrlEncode(header_json);
  jwt.push_back('.');
  jwt += Base64UrlEncode(payload_json);
  auto signature = key.Sign(jwt);
  if (!signature) return signature.error();
  jwt.push_back('.');
  jwt += Base64UrlEncode(*signature);
  return jwt;
}

}  // namespace orgd
