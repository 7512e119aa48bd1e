// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) over OpenSSL 3: the keys that sign session tokens.
//
// Keys are RSA-2048 with e = 65537: @clerk/backend's network-free path (a PEM in jwtKey) rebuilds
// the modulus by stripping the fixed SPKI prefix of exactly such a key (BEHAVIOR.md §5.6).
//
// Thread safety: an RsaKey is immutable after construction and may sign from many threads at
// once; each thread keeps its own digest context per key (set up once, copied per signature).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/base64.h"
#include "common/result.h"

struct evp_pkey_st;

namespace orgd {

class RsaKey {
 public:
  // A new RSA-2048 key pair (e = 65537). kInternal when OpenSSL fails.
  static Result<std::shared_ptr<const RsaKey>> Generate();
  // Parses a PKCS#8 private key in PEM. kInvalidArgument when it is not an RSA-2048 key with
  // e = 65537 (the message never quotes the PEM).
  static Result<std::shared_ptr<const RsaKey>> FromPrivatePem(std::string_view pem);
  ~RsaKey();
  RsaKey(const RsaKey&) = delete;
  RsaKey& operator=(const RsaKey&) = delete;

  std::string PrivatePem() const;  // PKCS#8
  std::string PublicPem() const;   // SPKI ("-----BEGIN PUBLIC KEY-----")
  // The JWK members, base64url without padding.
  std::string ModulusBase64Url() const;
  std::string ExponentBase64Url() const;

  // The RS256 signature of `data`. kInternal when OpenSSL fails.
  Result<std::string> Sign(std::string_view data) const;

 private:
  explicit RsaKey(evp_pkey_st* pkey);
  evp_pkey_st* pkey_;  // owned
};

// The JWK members (base64url n and e) of an SPKI public key in PEM. kInvalidArgument when it is
// not an RSA public key.
struct RsaJwkParts {
  std::string n;
  std::string e;
};
Result<RsaJwkParts> RsaJwkFromPublicPem(std::string_view pem);

// `header_json` and `payload_json` base64url-encoded, joined and signed: a compact JWS.
Result<std::string> SignJwt(const RsaKey& key, std::string_view header_json,
                            std::string_view payload_json);

}  // namespace orgd
