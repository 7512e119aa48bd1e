// Authorization: which caller may run which service operation. One table (kPolicies in
// authorization.cc) says, per operation, whether it concerns one organization or the instance
// and which permission it needs; Authorize() decides for a caller. Every service method asks it
// before it changes or reveals anything, so no handler decides a permission.
//
//   instance operations    (users, roles, settings, listing every organization): trusted
//                          callers only (the secret key, the system); a session user gets 403
//                          authorization_invalid
//   organization operations: trusted callers always; a session user when their membership's role
//                          grants the permission (PermissionAuthority::Can). A user who is no
//                          member gets 404 organization_not_found_or_unauthorized (the
//                          organization's existence is not revealed); a member without the
//                          permission 403 missing_organization_permission
//
// Permissions follow BEHAVIOR.md §4.2 (clerk-ui's checks). Thread safety: pure functions over
// an immutable table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "service/permission_authority.h"
#include "service/request_context.h"

namespace orgd::service {

enum class Operation {
  // The instance.
  kListOrganizations,   // every organization of the instance
  kCreateOrganization,  // trusted callers; a session user as OrganizationService::Create
                        // decides (create_organization_enabled, create_organizations_limit)
  kManageUsers,         // create, update, delete users, their metadata and images
  kReadUsers,
  kManageRoles,  // roles and permissions of the instance
  kReadRoles,
  kManageSettings,  // instance organization settings
  kReadSettings,
  kListAllMemberships,  // GET /organization_memberships, a user's memberships
  kListAllInvitations,  // GET /organization_invitations, a user's invitations
  kManageSessions,      // create, list, revoke any session and mint its tokens (the Backend
                        // API; a session user mints for their own session, SessionService)
  kManageSignInTokens,  // create and revoke sign-in tokens
  kReadSigningKeys,     // GET /jwks (public keys, but served behind the secret key as Clerk does)
  kManageWebhooks,      // webhook endpoints, their messages, the event feed
  kReadAuditLog,        // GET /audit_logs: who changed what
  // One organization.
  kReadOrganization,            // any member
  kUpdateOrganization,          // name, slug, limits: org:sys_profile:manage
  kUpdateOrganizationMetadata,  // metadata is written by the app's backend only
  kManageLogo,                  // org:sys_profile:manage
  kDeleteOrganization,          // org:sys_profile:delete
  kReadMemberships,             // org:sys_memberships:read
  kManageMemberships,           // add, update, remove members: org:sys_memberships:manage
  kUpdateMembershipMetadata,    // the app's backend only
  kReadDomains,                 // org:sys_domains:read
  kManageDomains,               // org:sys_domains:manage
  kLeaveOrganization,           // a member removes their own membership: any member
  kReadOrganizationRoles,       // the roles a member may assign (FAPI getRoles):
                                // org:sys_memberships:read
};

struct OperationPolicy {
  Operation operation;
  std::string_view name;  // for logs and tests
  enum class Scope { kInstance, kOrganization } scope;
  // kOrganization: the permission a session user's role must grant; empty means any member
  // may. kTrustedOnly marks an operation no session user may run even in their organization.
  std::string_view permission;
  bool trusted_only = false;
};

// The policy of `op`.
const OperationPolicy& PolicyFor(Operation op);

// Every operation's policy, in declaration order (for tests and docs).
const OperationPolicy* AllPolicies(size_t* count);

// Decides whether `caller` may run `op`. For organization operations, `role_in_organization` is
// the caller's role in the organization concerned (nullopt when they are no member; not read for
// trusted callers). Errors: 403 authorization_invalid (instance or trusted-only operation, session
// caller), 404 organization_not_found_or_unauthorized (not a member), 403
// missing_organization_permission (member without the permission).
Result<void> Authorize(const Caller& caller, Operation op,
                       const std::optional<std::string>& role_in_organization,
                       const PermissionAuthority& authority);

// Authorize() for an instance operation (no organization, no read).
Result<void> AuthorizeInstance(const Caller& caller, Operation op);

// True when a session caller acts on their own user (their memberships, their invitations):
// such a list or a leave is the user's own business, not the instance's.
inline bool IsSelf(const Caller& caller, std::string_view user_id) {
  return caller.kind == Caller::Kind::kSession && !user_id.empty() && caller.id == user_id;
}

// What an organization operation's transaction needs to authorize its caller, copied into the
// work: nothing but a flag for a trusted caller (the common case copies no string and reads
// nothing), the caller otherwise.
class OrganizationAccess {
 public:
  // REQUIRES: `authority` outlives the object.
  OrganizationAccess(const Caller& caller, const PermissionAuthority& authority)
      : authority_(&authority) {
    if (!caller.IsTrusted()) untrusted_ = caller;
  }

  // Authorize() in the transaction that then does the work: a session caller's role is read in
  // `tx`. `organization_id` is the organization's ID (not a slug).
  template <class Transaction>
  Result<void> Check(Transaction& tx, Operation op, std::string_view organization_id) const {
    if (!untrusted_) return {};
    std::optional<std::string> role;
    if (untrusted_->kind == Caller::Kind::kSession) {
      auto membership = tx.memberships().Get(organization_id, untrusted_->id);
      if (membership) {
        role = membership->role;
      } else if (membership.error().store_reason != StoreReason::kNotFound) {
        return membership.error();
      }
    }
    return Authorize(*untrusted_, op, role, *authority_);
  }

 private:
  std::optional<Caller> untrusted_;  // empty for a trusted caller
  const PermissionAuthority* authority_;
};

}  // namespace orgd::service
