// The signing-key part of a store transaction (implementation: store/sql). One key is current
// (it signs new tokens); retired keys stay until every token they signed has expired
// (max_token_exp), so the JWKS can still serve them.
//
// Thread safety: a SigningKeyReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/session.h"

namespace orgd::store {

class SigningKeyReader {
 public:
  virtual ~SigningKeyReader() = default;
  // The current key without its key material (both PEMs empty); nullopt before the first key
  // exists.
  virtual Result<std::optional<domain::SigningKey>> Current() = 0;
  // kNotFound ("signing key") when no key has this kid.
  virtual Result<domain::SigningKey> Get(std::string_view kid) = 0;
  // The keys a verifier may still need at `now`, current first, then the newest retired ones;
  // public parts only. `grace` (ms) is added to max_token_exp (the verifiers' clock skew).
  virtual Result<std::vector<domain::SigningKey>> Published(int64_t now, int64_t grace) = 0;
};

class SigningKeyWriter : public SigningKeyReader {
 public:
  // kUniqueViolation (constraint::kCurrentSigningKey) when another key is already current.
  virtual Result<void> Insert(const domain::SigningKey& key) = 0;
  // Retires the current key at `now` (nothing when there is none).
  virtual Result<void> RetireCurrent(int64_t now) = 0;
  // Raises the key's max_token_exp to at least `until`.
  virtual Result<void> Extend(std::string_view kid, int64_t until) = 0;
  // Deletes retired keys whose last token expired before `before`.
  virtual Result<void> Prune(int64_t before) = 0;
};

}  // namespace orgd::store
