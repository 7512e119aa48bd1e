// The webhook events a write records (BEHAVIOR.md §6.1) and EventPayloads: what each event's
// `data` is, as JSON text.
//
// A service records its events in the write transaction that makes the change
// (service/transaction.h: Effects::Record), after the store accepted it, with the objects as the
// write leaves them: the outbox row then holds exactly what the change was, and a write that
// rolls back holds none. The payload is only the event's `data`; the envelope (`object:"event"`,
// `type`, `timestamp`, `instance_id`, `event_attributes`) is built when the event is delivered,
// from the outbox row (which also keeps who asked, the request ID, the client IP and agent).
//
// The shapes are the Backend API's (the webhook schemas are BAPI's, private_metadata included), so
// they are written once, in the api layer (api/json/webhook_payloads.h implements this interface);
// services name the event and hand over the objects, and depend on no JSON shape.
//
// Which IDs an event row carries (Effect): `object_id` is the ID of the object in `data`;
// `organization_id` is set for organization, organizationMembership and organizationInvitation
// events, and left empty for role, permission, user and session events (instance-level objects);
// `created_at` is the write's clock time. Writes that change several objects record one event per
// object in the order of the writes (an organization with its creator: organization.created, then
// organizationMembership.created); a deletion that takes dependent rows with it records only the
// deletion (each service's header says which).
//
// Thread safety: implementations are immutable once built; every method may be called from any
// thread at once (the SQLite writer, the PostgreSQL pool workers), inside a write transaction,
// so they render in memory only: no I/O, no lock that a store thread could wait on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "service/transaction.h"

namespace orgd::domain {
struct Organization;
struct Permission;
struct Role;
struct User;
}  // namespace orgd::domain

namespace orgd::service {

struct InvitationView;
struct MembershipView;
struct SessionView;
struct DomainView;

// The event types orgd records (BEHAVIOR.md §6.1; organizationDomain.* once domains exist).
namespace event_type {
inline constexpr const char* kOrganizationCreated = "organization.created";
inline constexpr const char* kOrganizationUpdated = "organization.updated";
inline constexpr const char* kOrganizationDeleted = "organization.deleted";
inline constexpr const char* kMembershipCreated = "organizationMembership.created";
inline constexpr const char* kMembershipUpdated = "organizationMembership.updated";
inline constexpr const char* kMembershipDeleted = "organizationMembership.deleted";
inline constexpr const char* kInvitationCreated = "organizationInvitation.created";
inline constexpr const char* kInvitationRevoked = "organizationInvitation.revoked";
inline constexpr const char* kInvitationAccepted = "organizationInvitation.accepted";
inline constexpr const char* kRoleCreated = "role.created";
inline constexpr const char* kRoleUpdated = "role.updated";
inline constexpr const char* kRoleDeleted = "role.deleted";
inline constexpr const char* kPermissionCreated = "permission.created";
inline constexpr const char* kPermissionUpdated = "permission.updated";
inline constexpr const char* kPermissionDeleted = "permission.deleted";
inline constexpr const char* kUserCreated = "user.created";
inline constexpr const char* kUserUpdated = "user.updated";
inline constexpr const char* kUserDeleted = "user.deleted";
inline constexpr const char* kSessionCreated = "session.created";
inline constexpr const char* kSessionRevoked = "session.revoked";
inline constexpr const char* kSessionEnded = "session.ended";
inline constexpr const char* kSessionRemoved = "session.removed";
inline constexpr const char* kDomainCreated = "organizationDomain.created";
inline constexpr const char* kDomainUpdated = "organizationDomain.updated";
inline constexpr const char* kDomainDeleted = "organizationDomain.deleted";
}  // namespace event_type

// What a *.deleted event says of the object that is gone (BAPI schema DeletedObject).
struct DeletedObject {
  std::string_view object;  // "organization", "role", "permission", "user"
  std::string_view id;
  std::string_view slug = {};                                  // empty: no `slug` key
  std::optional<std::string_view> external_id = std::nullopt;  // user.deleted: the user's, if any
};

class EventPayloads {
 public:
  virtual ~EventPayloads() = default;

  // organization.created, organization.updated: the Organization with private_metadata and
  // members_count.
  virtual std::string Organization(const domain::Organization& org) const = 0;
  // organizationMembership.*: the OrganizationMembership with its organization and
  // public_user_data (also on .deleted: the membership as it was).
  virtual std::string Membership(const MembershipView& view) const = 0;
  // organizationInvitation.*: the OrganizationInvitation, its status as at view.now, with
  // `public_organization_data` of `org` (its organization), and `user_id` (who accepted) once
  // accepted.
  virtual std::string Invitation(const InvitationView& view,
                                 const domain::Organization& org) const = 0;
  // role.created, role.updated: the Role with its permissions.
  virtual std::string Role(const domain::Role& role) const = 0;
  // permission.created, permission.updated: the Permission.
  virtual std::string Permission(const domain::Permission& permission) const = 0;
  // user.created, user.updated: the User (private_metadata included).
  virtual std::string User(const domain::User& user) const = 0;
  // session.*: the Session, its status as at view.now, with `user`: the User, or null when there
  // is none (nullptr: the user was deleted).
  virtual std::string Session(const SessionView& view, const domain::User* user) const = 0;
  // organizationDomain.created, .updated: the OrganizationDomain.
  virtual std::string Domain(const DomainView& view) const = 0;
  // *.deleted: `{object, id, slug?, deleted: true, external_id?}`.
  virtual std::string Deleted(const DeletedObject& deleted) const = 0;
};

// Records event `type` about the object `object_id` with `payload` (its data) at `now` (ms), in
// `organization_id` for organization-level events (nullopt otherwise). `before`: the object as it
// was, in the payload's shape, for the audit log (updates and deletions give it when they have it).
inline void RecordEvent(Effects& effects, const char* type,
                        std::optional<std::string> organization_id, std::string object_id,
                        std::string payload, int64_t now,
                        std::optional<std::string> before = std::nullopt) {
  Effect effect;
  effect.type = type;
  effect.organization_id = std::move(organization_id);
  effect.object_id = std::move(object_id);
  effect.payload = std::move(payload);
  effect.created_at = now;
  effect.before = std::move(before);
  effects.Record(std::move(effect));
}

}  // namespace orgd::service
