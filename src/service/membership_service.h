// MembershipService: organization memberships (BEHAVIOR.md §3.2). Every rule that must hold under
// races is checked inside the one write transaction that changes the membership: the member
// limit (by the store's conditional count), one membership per user and organization, and at
// least one member with the minimum permissions (an admin) while the organization has members.
// Each change records its webhook event in its transaction (service/event_payloads.h):
// organizationMembership.created, .updated (role or metadata) and .deleted.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/ids.h"
#include "domain/membership.h"
#include "domain/organization.h"
#include "domain/roles.h"
#include "domain/user.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/permission_authority.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

// A membership with what its JSON shows: the organization and the member's public data.
struct MembershipView {
  domain::Membership membership;
  domain::Organization organization;
  domain::User user;
  domain::Role role;  // the membership's role, with its permissions
};

struct CreateMembershipCommand {
  std::optional<std::string> user_id;  // required
  std::optional<std::string> role;     // required
  std::optional<boost::json::value> public_metadata;
  std::optional<boost::json::value> private_metadata;
};

struct MembershipMetadataCommand {
  std::optional<boost::json::value> public_metadata;
  std::optional<boost::json::value> private_metadata;
};

// One page of memberships as views (each with its organization, user and role), read in `tx`.
// `count_pending_at` > 0: each organization's pending_invitations_count too, as of that time (ms).
Result<store::Page<MembershipView>> ReadMembershipViews(store::ReadTransaction& tx,
                                                        const store::MembershipListQuery& query,
                                                        int64_t count_pending_at = 0);

class MembershipService {
 public:
  // REQUIRES: every argument outlives the service.
  MembershipService(store::Database& db, const Clock& clock, IdGenerator& ids,
                    PermissionAuthority& authority, const EventPayloads& payloads)
      : db_(db), clock_(clock), ids_(ids), authority_(authority), payloads_(payloads) {}

  // Every method authorizes `ctx.caller` first (service/authorization.h): members are read with
  // org:sys_memberships:read and changed with org:sys_memberships:manage; metadata is the app's
  // backend's; the instance-wide lists need a trusted caller.
  //
  // Errors: form_param_missing (user_id, role); kNotFound for the organization, the user or the
  // role; kFailedPrecondition already_a_member_in_organization; kPermissionDenied
  // organization_membership_quota_exceeded.
  void Create(const RequestContext& ctx, std::string organization_id, CreateMembershipCommand cmd,
              Callback<MembershipView> done);
  // Lists with the organization and user of each item (and each organization's pending
  // invitations counted, with `count_pending_invitations`). Errors: kNotFound when the query
  // names an organization or user that does not exist.
  void List(const RequestContext& ctx, store::MembershipListQuery query,
            Callback<store::Page<MembershipView>> done, bool count_pending_invitations = false);
  // Errors: kNotFound (organization, membership, role); kFailedPrecondition
  // organization_minimum_permissions_needed when the last admin would be demoted.
  void UpdateRole(const RequestContext& ctx, std::string organization_id, std::string user_id,
                  std::optional<std::string> role, Callback<MembershipView> done);
  // Deep merge, as for organizations. Errors: kNotFound; metadata errors.
  void MergeMetadata(const RequestContext& ctx, std::string organization_id, std::string user_id,
                     MembershipMetadataCommand cmd, Callback<MembershipView> done);
  // Removes the membership and answers it as it was. Errors: kNotFound; kFailedPrecondition
  // organization_minimum_permissions_needed when the last admin would leave other members.
  void Delete(const RequestContext& ctx, std::string organization_id, std::string user_id,
              Callback<MembershipView> done);

 private:
  // Answers kNotFound for a role the PermissionAuthority does not know (after a refresh), so an
  // unknown role costs no write; the write transaction checks the role again, exactly.
  Result<void> CheckRoleKnown(const std::string& role);

  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  PermissionAuthority& authority_;
  const EventPayloads& payloads_;
};

}  // namespace orgd::service
