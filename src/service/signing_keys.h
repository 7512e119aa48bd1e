// SigningKeys: the RSA keys that sign session tokens, kept in the store so every node signs with
// the same ones (BEHAVIOR.md §5.6).
//
// One key is current. The first start generates it; `orgd keys rotate` (Rotate) makes a new one
// current and retires the old, which stays in the JWKS until every token it signed has expired:
// each mint first makes sure the key's recorded max_token_exp covers the token it is about to sign
// (raising it, in a write, at most once per token lifetime), so the JWKS knows when a retired
// key's last token is gone. Every mint reads which key is current in its own transaction, so a
// rotation by another process is followed at once, with no cache to go stale.
//
// Parsed keys are cached by kid (a key never changes under its kid). The private key is read from
// the store and parsed, never written to a log, an error or a reply.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "common/result.h"
#include "common/rsa_signer.h"
#include "service/callback.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

// What verifiers are allowed beyond a token's exp (@clerk/backend's default clock skew).
inline constexpr int64_t kVerifierClockSkewMs = 5'000;

// One key of the JWKS.
struct PublicJwk {
  std::string kid;
  std::string n;  // base64url
  std::string e;
};

struct KeyInfo {
  std::string kid;
  std::string public_key_pem;
  int64_t created_at = 0;
  std::optional<int64_t> retired_at;
  int64_t leaves_jwks_at = 0;  // retired keys: when the JWKS stops serving it (ms)
};

class SigningKeys {
 public:
  // REQUIRES: every argument outlives the object.
  SigningKeys(store::Database& db, const Clock& clock);

  // Generates and stores the first key unless one is current (another node may win the race:
  // then its key is used). Blocking: call at start-up, not on an I/O thread.
  Result<void> EnsureCurrent();
  // Makes a new key current and retires the old one; deletes retired keys that left the JWKS more
  // than a day ago. Returns the new kid. Blocking (the `orgd keys rotate` tool).
  Result<std::string> Rotate();
  // Every stored key, newest first, for `orgd keys list`. Blocking.
  Result<std::vector<KeyInfo>> List();

  // The keys a verifier may need now, current first.
  void Jwks(const RequestContext& ctx, Callback<std::vector<PublicJwk>> done);

  // The parsed key `kid`, read in `tx` on first use and cached. kNotFound for an unknown kid.
  template <class Transaction>
  Result<std::shared_ptr<const RsaKey>> Parsed(Transaction& tx, const std::string& kid) {
    if (auto cached = Cached(kid)) return cached;
    auto stored = tx.signing_keys().Get(kid);
    if (!stored) return stored.error();
    return Remember(kid, stored->private_key_pem);
  }
  // True when `kid` is parsed already (a mint then reads no private key).
  std::shared_ptr<const RsaKey> Cached(const std::string& kid) const;

 private:
  Result<std::shared_ptr<const RsaKey>> Remember(const std::string& kid, const std::string& pem);

  store::Database& db_;
  const Clock& clock_;
  RandomIdGenerator ids_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const RsaKey>> parsed_;  // GUARDED_BY(mu_)
};

// The public parts of an SPKI PEM as a JWK (the JWKS serves the stored public keys). kInternal
// when the PEM does not parse.
Result<PublicJwk> JwkFromPublicPem(const std::string& kid, const std::string& pem);

}  // namespace orgd::service
