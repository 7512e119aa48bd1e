// The sign-in-token part of a store transaction (implementation: store/sql). Tokens are found by
// the SHA-256 of their secret; the secret itself is never stored.
//
// Thread safety: a SignInTokenReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <string_view>

#include "common/result.h"
#include "domain/session.h"

namespace orgd::store {

class SignInTokenReader {
 public:
  virtual ~SignInTokenReader() = default;
  // kNotFound ("sign in token") for either.
  virtual Result<domain::SignInToken> Get(std::string_view id) = 0;
  virtual Result<domain::SignInToken> GetByHash(std::string_view token_hash) = 0;
};

class SignInTokenWriter : public SignInTokenReader {
 public:
  virtual Result<void> Insert(const domain::SignInToken& token) = 0;
  // Moves a pending token to `token.status` (with session_id and updated_at). kNotFound when no
  // pending token has this ID: another request accepted or revoked it first (single use).
  virtual Result<void> UpdatePending(const domain::SignInToken& token) = 0;
  // Revokes every pending token of the user (the user was deleted).
  virtual Result<void> RevokeForUser(std::string_view user_id, int64_t now) = 0;
};

}  // namespace orgd::store
