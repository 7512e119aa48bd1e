// The one SQL condition for "organization ?1 has a free seat at time ?2": members plus its pending
// invitations that have not expired are fewer than max_allowed_memberships (0: unlimited). Both
// the invitation and the membership stores test it in the transaction that takes the seat.
#pragma once

namespace orgd::store::sql {

// For a statement on `organizations` with the organization's ID as ?1 and now (ms) as ?2.
inline constexpr const char* kHasFreeSeat =
    "(max_allowed_memberships = 0 OR members_count + (SELECT count(*) FROM "
    "organization_invitations p WHERE p.organization_id = ?1 AND p.status = 'pending' AND "
    "p.expires_at > ?2) < max_allowed_memberships)";

}  // namespace orgd::store::sql
