// Session: a user signed in on one client (BEHAVIOR.md §2.12), and SignInToken: a single-use
// credential the app's backend creates for a user, redeemed for a session (the Frontend API's
// ticket sign-in). Times are ms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orgd::domain {

// As stored; expired and abandoned are read from the times (Session::Status).
inline constexpr std::string_view kSessionActive = "active";
inline constexpr std::string_view kSessionRevoked = "revoked";  // by the Backend API
inline constexpr std::string_view kSessionEnded = "ended";      // signed out; or the user deleted
inline constexpr std::string_view kSessionRemoved = "removed";  // removed from its client
inline constexpr std::string_view kSessionExpired = "expired";  // its lifetime is over
inline constexpr std::string_view kSessionAbandoned = "abandoned";  // inactive too long
inline constexpr std::string_view kSessionReplaced = "replaced";    // Clerk's; orgd never sets it

struct Session {
  std::string id;         // sess_…
  std::string client_id;  // client_…
  std::string user_id;
  std::string status = std::string(kSessionActive);
  std::optional<std::string> last_active_organization_id;
  int64_t last_active_at = 0;
  int64_t expire_at = 0;   // created_at + the session lifetime
  int64_t abandon_at = 0;  // last_active_at + the inactivity timeout (expire_at when off)
  int64_t created_at = 0;
  int64_t updated_at = 0;

  // The status at `now`: an active session past expire_at is expired, past abandon_at abandoned.
  std::string_view Status(int64_t now) const {
    if (status != kSessionActive) return status;
    if (now >= expire_at) return kSessionExpired;
    if (now >= abandon_at) return kSessionAbandoned;
    return kSessionActive;
  }
  bool IsActiveAt(int64_t now) const { return Status(now) == kSessionActive; }
};

inline constexpr std::string_view kSignInTokenPending = "pending";
inline constexpr std::string_view kSignInTokenAccepted = "accepted";
inline constexpr std::string_view kSignInTokenRevoked = "revoked";

// Seconds a sign-in token is valid: 30 days unless asked, at most ten years.
inline constexpr int64_t kDefaultSignInTokenSeconds = 30 * 24 * 60 * 60;
inline constexpr int64_t kMaxSignInTokenSeconds = 315360000;

struct SignInToken {
  std::string id;  // sit_…
  std::string user_id;
  std::string token_hash;  // hex SHA-256 of the token; the token itself is never stored
  std::string status = std::string(kSignInTokenPending);
  std::optional<std::string> organization_id;  // activated on redemption
  int64_t expires_at = 0;
  std::optional<std::string> session_id;  // the session it was redeemed for
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A Frontend API client: one browser (its __client cookie) or native app. Its credential is
// "<id>.<secret>"; only the secret's SHA-256 is kept.
struct Client {
  std::string id;           // client_…
  std::string secret_hash;  // hex SHA-256 of the secret
  std::optional<std::string> last_active_session_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A signing key as the store keeps it. The private key is PKCS#8 PEM; it never leaves the
// process but to the store.
struct SigningKey {
  std::string kid;
  std::string private_key_pem;
  std::string public_key_pem;  // SPKI, what apps put in CLERK_JWT_KEY
  int64_t created_at = 0;
  std::optional<int64_t> retired_at;  // absent: the current key
  int64_t max_token_exp = 0;          // the latest expiry of a token it may have signed (ms)
};

}  // namespace orgd::domain
