// OrganizationInvitation: an email address invited into an organization with a role
// (BEHAVIOR.md §2.3). Pending until accepted or revoked; a pending invitation past expires_at is
// expired wherever it is shown, and can no longer be accepted.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orgd::domain {

inline constexpr std::string_view kInvitationPending = "pending";
inline constexpr std::string_view kInvitationAccepted = "accepted";
inline constexpr std::string_view kInvitationRevoked = "revoked";
inline constexpr std::string_view kInvitationExpired = "expired";

// Days an invitation is valid for: 1–365, 30 unless asked (BEHAVIOR.md §3.3).
inline constexpr int64_t kDefaultInvitationDays = 30;
inline constexpr int64_t kMaxInvitationDays = 365;

struct Invitation {
  std::string id;  // orginv_…
  std::string organization_id;
  std::string email_address;  // normalized (lowercased)
  std::string role;           // a role key
  // As stored: pending, accepted, revoked, or expired (set when a newer invitation to the same
  // address replaced an expired one). Status() is what the API shows.
  std::string status = std::string(kInvitationPending);
  std::optional<std::string> inviter_user_id;
  boost::json::value public_metadata = boost::json::object();
  boost::json::value private_metadata = boost::json::object();
  std::optional<std::string> redirect_url;
  std::optional<std::string> url;  // the accept link with its ticket; null without a redirect
  bool notify = true;
  int64_t expires_at = 0;  // ms
  std::optional<std::string> accepted_user_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  // The status at `now`: a pending invitation past its expiry is expired.
  std::string_view Status(int64_t now) const {
    if (status == kInvitationPending && expires_at <= now) return kInvitationExpired;
    return status;
  }
  bool IsPendingAt(int64_t now) const { return Status(now) == kInvitationPending; }
};

}  // namespace orgd::domain
