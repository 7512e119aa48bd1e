// OrganizationDomain: an email domain an organization claims (BEHAVIOR.md §2.4), with the two ways
// to prove it (an emailed code to an address there: affiliation; a DNS TXT record: ownership), and
// what a verified domain brings: invitations or suggestions for users with an address there
// (enrollment, §2.13), and membership requests when a suggestion is accepted (§2.5, §2.6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orgd::domain {

inline constexpr std::string_view kManualInvitation = "manual_invitation";
inline constexpr std::string_view kAutomaticInvitation = "automatic_invitation";
inline constexpr std::string_view kAutomaticSuggestion = "automatic_suggestion";
inline constexpr std::string_view kEnterpriseSso = "enterprise_sso";

inline constexpr std::string_view kVerificationUnverified = "unverified";
inline constexpr std::string_view kVerificationVerified = "verified";
inline constexpr std::string_view kVerificationFailed = "failed";
inline constexpr std::string_view kVerificationExpired = "expired";

// Attempts at an affiliation code, how long a code and a TXT challenge live.
inline constexpr int64_t kMaxCodeAttempts = 5;
inline constexpr int64_t kCodeLifetimeMs = 10 * 60 * 1000;
inline constexpr int64_t kTxtChallengeLifetimeMs = 7LL * 24 * 60 * 60 * 1000;

// One proof of a domain. Absent (nullopt in OrganizationDomain) until it was started.
struct DomainVerification {
  std::string status = std::string(kVerificationUnverified);  // as stored
  std::string strategy;  // email_code, dns_txt, manual_override, admin
  std::optional<int64_t> attempts;
  std::optional<int64_t> expire_at;
  std::optional<int64_t> verified_at;

  // The status at `now`: an unverified proof past expire_at is expired.
  std::string_view Status(int64_t now) const {
    if (status == kVerificationUnverified && expire_at && *expire_at <= now) {
      return kVerificationExpired;
    }
    return status;
  }
};

struct OrganizationDomain {
  std::string id;  // orgdmn_…
  std::string organization_id;
  std::string name;  // lowercased, e.g. acme.com
  std::string enrollment_mode = std::string(kManualInvitation);
  std::optional<std::string> affiliation_email_address;
  std::optional<DomainVerification> affiliation;
  std::string affiliation_code_hash;  // hex SHA-256 of the outstanding code; empty: none
  std::optional<DomainVerification> ownership;
  std::string txt_record_value;  // the outstanding TXT challenge; empty: none
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Read with the domain (not stored): the pending enrollment it made.
  int64_t total_pending_invitations = 0;
  int64_t total_pending_suggestions = 0;

  // Verified by either proof (or by the Backend API, which vouches for it).
  bool IsVerified() const {
    return (affiliation && affiliation->status == kVerificationVerified) ||
           (ownership && ownership->status == kVerificationVerified);
  }
};

inline constexpr std::string_view kRequestPending = "pending";
inline constexpr std::string_view kRequestAccepted = "accepted";
inline constexpr std::string_view kRequestRejected = "rejected";

// A user asking to join an organization (accepting a suggestion makes one).
struct MembershipRequest {
  std::string id;  // orgmemreq_…
  std::string organization_id;
  std::string user_id;
  std::string status = std::string(kRequestPending);
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

inline constexpr std::string_view kSuggestionPending = "pending";
inline constexpr std::string_view kSuggestionAccepted = "accepted";

// An organization suggested to a user because of an address at its verified domain.
struct OrganizationSuggestion {
  std::string id;  // orgsugg_…
  std::string organization_id;
  std::string user_id;
  std::string domain_id;
  std::string status = std::string(kSuggestionPending);
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

}  // namespace orgd::domain
