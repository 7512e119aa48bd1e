// DomainService: verified domains, enrollment, suggestions and membership requests (BEHAVIOR.md
// §2.4–2.6, §2.13, §3.4, §4.2–4.3).
//
// A domain is verified by either proof: affiliation (a 6-digit code emailed to an address at the
// domain, through the email queue; 5 attempts, 10 minutes, compared in constant time and kept
// only as its SHA-256) or ownership (a DNS TXT record orgd asks for and then resolves; the
// Backend API may also vouch for it: `verified: true`, verify_ownership). At most one
// organization holds a name verified: the store's unique index decides a race.
//
// Enrollment follows a verified domain's mode: automatic_invitation invites each user with an
// address at exactly that domain (with the instance's domains_default_role; these invitations
// are left out of the Backend API's invitation lists), automatic_suggestion suggests the
// organization to them instead, manual_invitation does neither. Existing users are enrolled when
// the domain becomes verified or gets an automatic mode, new users when they are created
// (EnrollUser). Accepting a suggestion makes a pending membership request; accepting the request
// makes the membership, within max_allowed_memberships, in one transaction.
//
// Authorization (service/authorization.h): reads org:sys_domains:read, changes
// org:sys_domains:manage, membership requests org:sys_memberships:manage; vouching for a domain
// (verified, verify_ownership) and the instance-wide list need a trusted caller; suggestions are
// the session user's own.
//
// Webhook events: organizationDomain.created, .updated, .deleted; organizationMembership.created
// for an accepted request.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/executor.h"
#include "common/ids.h"
#include "domain/organization.h"
#include "domain/organization_domain.h"
#include "domain/user.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/permission_authority.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

class Effects;  // service/transaction.h

// The TXT records at a DNS name (empty when it has none). Blocking: DomainService runs it on its
// DNS executor. Errors: kUnavailable when the resolver cannot answer.
using TxtLookup = std::function<Result<std::vector<std::string>>(const std::string& name)>;

// A domain with what its JSON shows.
struct DomainView {
  domain::OrganizationDomain domain;
  std::optional<domain::Organization> organization;  // on the instance-wide list
  int64_t now = 0;
  // The Frontend API shows an outstanding TXT challenge to callers who may manage domains.
  bool shows_challenge = false;
};

struct RequestView {
  domain::MembershipRequest request;
  domain::User user;
};

struct SuggestionView {
  domain::OrganizationSuggestion suggestion;
  domain::Organization organization;
};

struct CreateDomainCommand {
  std::optional<std::string> name;             // required
  std::optional<std::string> enrollment_mode;  // default manual_invitation
  std::optional<bool> verified;  // the Backend API's: default true; refused from others
};

struct UpdateDomainCommand {
  std::optional<std::string> enrollment_mode;
  std::optional<bool> verified;  // the Backend API's
  bool delete_pending = false;   // with a new mode: remove the pending enrollment
};

// The TXT record a domain's ownership is proven with: its name, and the prefix of its value.
inline constexpr std::string_view kTxtRecordPrefix = "_orgd-verification.";
inline constexpr std::string_view kTxtValuePrefix = "orgd-domain-verification=";
// The kind of the job that emails an affiliation code (service/job_runner.h).
inline constexpr const char* kAffiliationCodeJob = "domain_affiliation_code";

class DomainService {
 public:
  // REQUIRES: every argument outlives the service.
  DomainService(store::Database& db, const Clock& clock, IdGenerator& ids,
                const PermissionAuthority& authority, const EventPayloads& payloads,
                TxtLookup lookup, Executor& dns_executor);

  // Errors: 422 form_param_missing (name), form_param_format_invalid, organization_domain_common,
  // form_param_value_invalid (enrollment_mode); 403 organization_domains_not_enabled,
  // organization_domain_enrollment_mode_not_enabled, organization_domain_quota_exceeded; 422
  // organization_domain_already_exists (verified by another organization),
  // organization_domain_already_exists_same_organization; 404 for the organization.
  void Create(const RequestContext& ctx, std::string organization_id, CreateDomainCommand cmd,
              Callback<DomainView> done);
  // One organization's domains (query.organization_id set), or, `instance_wide` or without an
  // organization, the instance's (trusted callers; each with its organization; an
  // organization_id there only filters).
  void List(const RequestContext& ctx, store::DomainListQuery query,
            Callback<store::Page<DomainView>> done, bool instance_wide = false);
  // 404 for a domain of another organization.
  void Get(const RequestContext& ctx, std::string organization_id, std::string domain_id,
           Callback<DomainView> done);
  // Errors as Create for the mode; a newly automatic mode of a verified domain enrolls.
  void Update(const RequestContext& ctx, std::string organization_id, std::string domain_id,
              UpdateDomainCommand cmd, Callback<DomainView> done);
  void Delete(const RequestContext& ctx, std::string organization_id, std::string domain_id,
              Callback<DomainView> done);
  // The Backend API's manual override: ownership verified (manual_override). Idempotent.
  void VerifyOwnership(const RequestContext& ctx, std::string organization_id,
                       std::string domain_id, Callback<DomainView> done);

  // Emails a new code to `email_address`. 422 form_param_missing; form_param_format_invalid;
  // organization_domain_mismatch when it is not at the domain.
  void PrepareAffiliation(const RequestContext& ctx, std::string organization_id,
                          std::string domain_id, std::optional<std::string> email_address,
                          Callback<DomainView> done);
  // 422 form_code_incorrect; 422 verification_failed after too many attempts; 422
  // verification_expired; 400 verification_missing when no code was sent.
  void AttemptAffiliation(const RequestContext& ctx, std::string organization_id,
                          std::string domain_id, std::optional<std::string> code,
                          Callback<DomainView> done);
  // A fresh TXT challenge (kTxtRecordPrefix + name, kTxtValuePrefix + 32 random hex digits).
  void PrepareOwnership(const RequestContext& ctx, std::string organization_id,
                        std::string domain_id, Callback<DomainView> done);
  // Resolves the TXT record; verified when one record equals the challenge. 422
  // organization_domain_txt_record_not_found; 400 verification_missing without a challenge;
  // 503 when DNS cannot answer.
  void AttemptOwnership(const RequestContext& ctx, std::string organization_id,
                        std::string domain_id, Callback<DomainView> done);

  void ListRequests(const RequestContext& ctx, store::RequestListQuery query,
                    Callback<store::Page<RequestView>> done);
  // Makes the member with domains_default_role. 400 organization_membership_request_not_pending;
  // 400 already_a_member_in_organization; 403 organization_membership_quota_exceeded.
  void AcceptRequest(const RequestContext& ctx, std::string organization_id, std::string request_id,
                     Callback<RequestView> done);
  void RejectRequest(const RequestContext& ctx, std::string organization_id, std::string request_id,
                     Callback<RequestView> done);

  // The session user's suggestions (query.user_id is set from the caller).
  void ListSuggestions(const RequestContext& ctx, store::SuggestionListQuery query,
                       Callback<store::Page<SuggestionView>> done);
  // Accepted, with a pending membership request. 400 organization_suggestion_already_accepted;
  // 404 for another user's suggestion.
  void AcceptSuggestion(const RequestContext& ctx, std::string suggestion_id,
                        Callback<SuggestionView> done);

 private:
  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  const PermissionAuthority& authority_;
  const EventPayloads& payloads_;
  TxtLookup lookup_;
  Executor& dns_executor_;
};

// Enrolls `user` (just created in `tx`) at every verified domain of their addresses, as the
// domain's mode says. Records nothing (the invitations it makes are the domain's).
Result<void> EnrollUser(store::WriteTransaction& tx, IdGenerator& ids, const domain::User& user,
                        int64_t now);

}  // namespace orgd::service
